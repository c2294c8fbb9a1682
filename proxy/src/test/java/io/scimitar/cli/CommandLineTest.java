package io.scimitar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import io.scimitar.config.ScimitarConfig;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.schema.Schemas;
import io.scimitar.scim.service.Projection;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The {@code scimitar} command line run in-process through picocli's {@code execute}, with the
 * environment injected and stdout and stderr captured: exit codes, the exact messages, and the
 * receiver's life from the ready line to a requested stop.
 */
class CommandLineTest {

    private static final String TOKEN = "cli-test-token-0123456789";
    private static final Pattern READY = Pattern.compile(
            "scimitar receiver ready: SCIM at http://127\\.0\\.0\\.1:(\\d+)/scim/v2 \\(store (\\S+), directory version (\\d+)\\)");

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void versionPrintsTheBuildAndTheRuntime() {
        for (String args : List.of("version", "--version")) {
            Run run = run(Map.of(), args);

            assertThat(run.status).as(args).isZero();
            assertThat(run.out()).as(args).matches("scimitar \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java \\S+\\)\\R");
            assertThat(run.err()).isEmpty();
        }
    }

    @Test
    void withoutASubcommandItIsAUsageError() {
        Run run = run(Map.of());

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err()).startsWith("Missing required subcommand").contains("receiver", "demo", "check-config");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownSubcommandIsAUsageError() {
        Run run = run(Map.of(), "recieve");

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err()).startsWith("Unmatched argument at index 0: 'recieve'");
    }

    @Test
    void theProxyRefusesAnIncompleteConfigurationNamingWhatIsMissing() {
        Run run = run(Map.of("SCIMITAR_UPSTREAM", "http://127.0.0.1:3000"), "proxy");

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err()).startsWith("scimitar: config error: the sidecar cannot start: set policy (SCIMITAR_POLICY)")
                .contains("SCIMITAR_AUTH_JWKS_URL").doesNotContain("SCIMITAR_UPSTREAM");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void theReceiverRefusesToStartWithoutAToken() {
        Run run = run(Map.of(), "receiver");

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err()).isEqualTo("scimitar: config error: no SCIM bearer token is configured: set scim.token"
                + " (SCIMITAR_SCIM_TOKEN) or scim.token-file (SCIMITAR_SCIM_TOKEN_FILE) (tokens of at least 16"
                + " characters)" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aBadValueIsOneLineWithExitStatus2() {
        Run run = run(Map.of("SCIMITAR_SCIM_TOKEN", TOKEN, "SCIMITAR_SCIM_LISTEN", "localhost:abc"), "check-config");

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err()).isEqualTo("scimitar: config error: scim.listen (SCIMITAR_SCIM_LISTEN) = \"localhost:abc\":"
                + " expected host:port with a port 0-65535" + System.lineSeparator());
    }

    @Test
    void checkConfigForTheProxyNamesWhatTheSidecarLacks() {
        Run incomplete = run(Map.of("SCIMITAR_UPSTREAM", "http://127.0.0.1:3000"), "check-config", "--for", "proxy");
        Run complete = run(Map.of("SCIMITAR_UPSTREAM", "http://127.0.0.1:3000", "SCIMITAR_POLICY", "policy.yaml",
                "SCIMITAR_AUTH_JWKS_URL", "https://idp.example.com/keys", "SCIMITAR_AUTH_ISSUER", "https://idp.example.com",
                "SCIMITAR_AUTH_AUDIENCE", "orders"), "check-config", "--for", "proxy");

        assertThat(incomplete.status).isEqualTo(2);
        assertThat(incomplete.err()).startsWith("scimitar: config error: the sidecar cannot start: set policy");
        assertThat(complete.status).as(complete.err()).isZero();
        assertThat(complete.out()).contains("upstream: \"http://127.0.0.1:3000\"  # from SCIMITAR_UPSTREAM")
                .contains("auth:\n").contains("  user-claim: \"email\"  # default")
                .contains("drain-timeout: \"PT20S\"  # default");
    }

    @Test
    void checkConfigPrintsTheEffectiveValuesWithoutSecrets() {
        Run run = run(Map.of("SCIMITAR_SCIM_TOKEN", TOKEN, "SCIMITAR_SCIM_MAX_RESULTS", "50"), "check-config");

        assertThat(run.status).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .doesNotContain(TOKEN)
                .contains("  listen: \"0.0.0.0:8081\"  # default")
                .containsPattern("  token: \"<redacted sha256:[0-9a-f]{8}>\"  # from SCIMITAR_SCIM_TOKEN")
                .contains("  max-results: 50  # from SCIMITAR_SCIM_MAX_RESULTS")
                .contains("  base-url:  # not set")
                .contains("store: \"sqlite:./scimitar-data/scimitar.db\"  # default");
    }

    static Stream<List<String>> configFileArguments() {
        return Stream.of(List.of("--config", "FILE", "check-config"), List.of("check-config", "--config", "FILE"),
                List.of("check-config", "--config=FILE"), List.of("check-config"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("configFileArguments")
    void theConfigFileComesFromTheOptionOrSCIMITAR_CONFIG(List<String> args) throws IOException {
        Path file = Files.writeString(dir.resolve("scimitar.yaml"), "scim:\n  listen: 127.0.0.1:9443\n");
        Map<String, String> env = new HashMap<>(Map.of("SCIMITAR_SCIM_TOKEN", TOKEN));
        if (!args.contains("--config") && args.stream().noneMatch(a -> a.startsWith("--config="))) {
            env.put("SCIMITAR_CONFIG", file.toString());
        }

        Run run = run(env, args.stream().map(a -> a.replace("FILE", file.toString())).toArray(String[]::new));

        assertThat(run.status).as(run.err()).isZero();
        assertThat(run.out()).contains("  listen: \"127.0.0.1:9443\"  # from " + file);
    }

    @Test
    void aMissingConfigFileIsAConfigError() {
        Path missing = dir.resolve("absent.yaml");

        Run run = run(Map.of("SCIMITAR_SCIM_TOKEN", TOKEN), "--config", missing.toString(), "receiver");

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err()).isEqualTo("scimitar: config error: " + missing
                + ": cannot read the configuration file: no such file" + System.lineSeparator());
    }

    @Test
    void theReceiverPrintsOneReadyLineServesAndStopsCleanly() throws Exception {
        Path db = dir.resolve("data/scimitar.db");
        Map<String, String> env = Map.of("SCIMITAR_SCIM_TOKEN", TOKEN, "SCIMITAR_SCIM_LISTEN", "127.0.0.1:0",
                "SCIMITAR_STORE", "sqlite:" + db);
        long version = seedUsers(env, 3);
        ObservedDirectory directory = new ObservedDirectory();
        ManualStop stop = new ManualStop();
        LineCapture out = new LineCapture();
        CommandLine cmd = commandLine(env, stop, directory, out);
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err));

        Future<Integer> status = executor.submit(() -> cmd.execute("receiver"));
        String ready = out.nextLine();
        Matcher matcher = READY.matcher(ready);
        assertThat(matcher.matches()).as(ready).isTrue();
        assertThat(matcher.group(2)).isEqualTo("sqlite:" + db);
        assertThat(matcher.group(3)).as("the store's version").isEqualTo(Long.toString(version));
        int port = Integer.parseInt(matcher.group(1));
        directory.serverPort.set(port);

        assertThat(get(port, TOKEN).statusCode()).isEqualTo(200);
        assertThat(get(port, "not-the-token-at-all").statusCode()).isEqualTo(401);
        assertThat(get(port, "/Users?count=0", TOKEN).body()).as("the seeded directory is served")
                .contains("\"totalResults\":3");

        stop.requestStop();
        assertThat(status.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(directory.closed).isTrue();
        assertThat(directory.serverAcceptedWhenClosed).as("the server stops before the store closes").isFalse();
        assertThat(out.text()).isEqualTo(ready + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    /**
     * The README's first command: the printed walk-through is run as printed, by bash and curl,
     * against the real demo (sidecar, embedded receiver, sample app, demo token issuer) on port 0.
     */
    @Test
    void theDemoWalkthroughRunsAsPrinted() throws Exception {
        ObservedDirectory directory = new ObservedDirectory();
        ManualStop stop = new ManualStop();
        LineCapture out = new LineCapture();
        CommandLine cmd = commandLine(Map.of("SCIMITAR_SCIM_LISTEN", "127.0.0.1:0", "SCIMITAR_LISTEN", "127.0.0.1:0",
                "SCIMITAR_ADMIN_LISTEN", "127.0.0.1:0", "SCIMITAR_STORE", "sqlite:" + dir.resolve("demo.db")),
                stop, directory, out);

        Future<Integer> status = executor.submit(() -> cmd.execute("demo"));
        List<String> printed = new ArrayList<>();
        String line;
        do {
            line = out.nextLine();
            printed.add(line);
        } while (!line.startsWith("scimitar sidecar ready:"));
        assertThat(printed.get(0)).startsWith("Scimitar demo:");
        List<String> commands = printed.stream().filter(l -> l.startsWith("SCIM=") || l.startsWith("ADA=")
                || l.startsWith("TOKEN=") || l.startsWith("curl ")).toList();
        assertThat(commands).hasSize(9);
        String token = commands.get(0).replaceAll("^SCIM='Authorization: Bearer (\\S+)'$", "$1");
        assertThat(token).hasSize(43);
        assertThat(String.join("\n", printed).split(Pattern.quote(token), -1)).as("the SCIM token is printed once")
                .hasSize(2);

        StringBuilder script = new StringBuilder("set -e\n");
        for (int i = 0; i < commands.size(); i++) {
            script.append("echo '=== ").append(i).append("'\n").append(commands.get(i)).append("\necho\n");
        }
        Process bash = new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true).start();
        String transcript = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(transcript).isZero();
        String[] steps = transcript.split("=== \\d+\n");
        // steps[0] is before the first marker; then one per command
        assertThat(steps[3]).as("the group with ada").contains("\"displayName\":\"engineers\"")
                .contains("\"display\":\"ada@example.com\"");
        assertThat(steps[5]).as("allowed").startsWith("HTTP/1.1 200").contains("\"user\" : \"ada@example.com\"")
                .contains("\"groups\" : \"engineers\"");
        assertThat(steps[6]).as("denied").startsWith("HTTP/1.1 403");
        assertThat(steps[7]).as("deactivated").contains("\"active\":false");
        assertThat(steps[8]).as("the same token, refused").startsWith("HTTP/1.1 403");
        assertThat(steps[9]).as("explained").contains("\"reason\":\"inactive_user\"");

        stop.requestStop();
        assertThat(status.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(directory.closed).isTrue();
    }

    @Test
    void aPortInUseIsAFailureWithExitStatus1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ObservedDirectory directory = new ObservedDirectory();
            Run run = run(Map.of("SCIMITAR_SCIM_TOKEN", TOKEN,
                    "SCIMITAR_SCIM_LISTEN", "127.0.0.1:" + taken.getLocalPort(),
                    "SCIMITAR_STORE", "sqlite:" + dir.resolve("scimitar.db")), directory, "receiver");

            assertThat(run.status).isEqualTo(1);
            assertThat(run.err()).startsWith("scimitar: error: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .hasLineCount(1);
            assertThat(run.out()).isEmpty();
            assertThat(directory.closed).as("the store is closed when the server cannot start").isTrue();
        }
    }

    @Test
    void anUnavailableStoreIsAFailureWithExitStatus1() {
        Run run = run(Map.of("SCIMITAR_SCIM_TOKEN", TOKEN, "SCIMITAR_SCIM_LISTEN", "127.0.0.1:0"), config -> {
            throw new IllegalStateException("database is locked");
        }, "receiver");

        assertThat(run.status).isEqualTo(1);
        assertThat(run.err()).isEqualTo("scimitar: error: database is locked" + System.lineSeparator());
    }

    /** Writes {@code users} users into the store {@code env} names, through the real directory; returns its version. */
    private static long seedUsers(Map<String, String> env, int users) {
        ScimitarConfig config = new ConfigLoader(env).load(Optional.empty(), Profile.RECEIVER);
        try (OpenDirectory directory = ReceiverLauncher.openJdbc(config)) {
            for (int i = 0; i < users; i++) {
                ObjectNode user = Json.object();
                user.putArray("schemas").add(Schemas.USER);
                user.put("userName", "seeded-" + i + "@example.com");
                directory.service().create(ResourceType.USER, user, Projection.DEFAULT);
            }
            return directory.version();
        }
    }

    private HttpResponse<String> get(int port, String token) throws IOException, InterruptedException {
        return get(port, "/ServiceProviderConfig", token);
    }

    private HttpResponse<String> get(int port, String path, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/scim/v2" + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private Run run(Map<String, String> env, String... args) {
        return run(env, config -> {
            throw new AssertionError("this command must not open the directory");
        }, args);
    }

    private Run run(Map<String, String> env, DirectoryOpener directories, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Scimitar.commandLine(new ProcessContext(env, shutdown -> {
            throw new AssertionError("this command must not wait for a stop");
        }, directories));
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int status = cmd.execute(args);
        return new Run(status, out, err);
    }

    private static CommandLine commandLine(Map<String, String> env, StopSignal stop, DirectoryOpener directories,
            LineCapture out) {
        CommandLine cmd = Scimitar.commandLine(new ProcessContext(env, stop, directories));
        cmd.setOut(new PrintWriter(out, true));
        return cmd;
    }

    private record Run(int status, StringWriter outWriter, StringWriter errWriter) {
        String out() {
            return outWriter.toString();
        }

        String err() {
            return errWriter.toString();
        }
    }

    /** A stop the test requests, in place of SIGTERM. */
    private static final class ManualStop implements StopSignal {
        private final CountDownLatch requested = new CountDownLatch(1);

        void requestStop() {
            requested.countDown();
        }

        @Override
        public void awaitThen(Runnable shutdown) throws InterruptedException {
            requested.await();
            shutdown.run();
        }
    }

    /** Captures a command's stdout and hands each complete line to the test as it is written. */
    private static final class LineCapture extends Writer {
        private final StringBuilder all = new StringBuilder();
        private final StringBuilder line = new StringBuilder();
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        @Override
        public synchronized void write(char[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                char c = buffer[i];
                all.append(c);
                if (c == '\n') {
                    lines.add(line.toString().replace("\r", ""));
                    line.setLength(0);
                } else {
                    line.append(c);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        String nextLine() throws InterruptedException {
            String next = lines.poll(30, TimeUnit.SECONDS);
            assertThat(next).as("a line on stdout within 30 s").isNotNull();
            return next;
        }

        synchronized String text() {
            return all.toString();
        }
    }
}
