package io.scimitar.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A receiver in a child JVM, started with the test's class path exactly as {@code scimitar receiver}
 * runs from the jar, for tests that need a real process (to kill it, or to read its logs).
 */
public record ReceiverProcess(Process process, String url, long directoryVersion) {

    private static final Pattern READY = Pattern.compile("ready: SCIM at (http://\\S+/scim/v2)[ ,].*directory version (\\d+)");

    /** Starts the receiver on a free loopback port over the SQLite file {@code db}; returns once it is ready. */
    static ReceiverProcess start(Path db, String token, ProcessBuilder.Redirect stderr) throws IOException {
        return start(Map.of("SCIMITAR_STORE", "sqlite:" + db, "SCIMITAR_SCIM_TOKEN", token), stderr);
    }

    /**
     * Starts the receiver configured by {@code env} (its {@code SCIMITAR_*} keys; the listener
     * defaults to a free loopback port); returns once it is ready.
     */
    public static ReceiverProcess start(Map<String, String> scimitarEnv, ProcessBuilder.Redirect stderr)
            throws IOException {
        return start(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Scimitar.class.getName()), scimitarEnv, stderr);
    }

    /** As {@link #start(Map, ProcessBuilder.Redirect)}, from the shipped jar ({@code java -jar scimitar.jar receiver}). */
    public static ReceiverProcess startJar(Path jar, Map<String, String> scimitarEnv, ProcessBuilder.Redirect stderr)
            throws IOException {
        return start(List.of("-jar", jar.toString()), scimitarEnv, stderr);
    }

    private static ReceiverProcess start(List<String> javaArguments, Map<String, String> scimitarEnv,
            ProcessBuilder.Redirect stderr) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaArguments);
        command.add("receiver");
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("SCIMITAR_"));
        env.put("SCIMITAR_SCIM_LISTEN", "127.0.0.1:0");
        env.putAll(scimitarEnv);
        builder.redirectError(stderr);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                return new ReceiverProcess(process, ready.group(1), Long.parseLong(ready.group(2)));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the receiver exited before it was ready (status " + waitQuietly(process) + ")");
    }

    private static int waitQuietly(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
