package io.scimitar.e2e;

import io.scimitar.testing.RawClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import io.scimitar.authn.KeyServer;
import io.scimitar.authn.Tokens;
import io.scimitar.cli.Scimitar;
import io.scimitar.testing.RecordingApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scimitar proxy} as a real process, stopped as ECS stops a task: SIGTERM while a request is
 * in flight. The request finishes with 200, the process exits 0, and its audit line reached stdout
 * before the exit (the queue is written out, not lost).
 */
class SidecarProcessTest {

    private static final Pattern READY = Pattern.compile(
            "scimitar sidecar ready: listening at http://127\\.0\\.0\\.1:(\\d+), .* admin at (http://\\S+), SCIM at (http://\\S+/scim/v2)");

    @TempDir
    Path dir;

    @Test
    void sigtermLetsTheRequestInFlightFinishThenExitsZeroWithItsAuditLineWritten() throws Exception {
        RSAKey key = Tokens.rsa("process-key");
        try (var app = new RecordingApp(); var idp = new KeyServer()) {
            idp.publish(List.of(key));
            Path policy = Files.writeString(dir.resolve("policy.yaml"), SidecarFixture.POLICY);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), Scimitar.class.getName(), "proxy");
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("SCIMITAR_"));
            env.putAll(Map.of("SCIMITAR_LISTEN", "127.0.0.1:0", "SCIMITAR_ADMIN_LISTEN", "127.0.0.1:0",
                    "SCIMITAR_SCIM_LISTEN", "127.0.0.1:0", "SCIMITAR_SCIM_TOKEN", SidecarFixture.SCIM_TOKEN,
                    "SCIMITAR_STORE", "sqlite:" + dir.resolve("directory.db"),
                    "SCIMITAR_UPSTREAM", "http://127.0.0.1:" + app.port(), "SCIMITAR_POLICY", policy.toString(),
                    "SCIMITAR_AUTH_JWKS_URL", idp.jwksUrl().toString(), "SCIMITAR_AUTH_ISSUER", Tokens.ISSUER,
                    "SCIMITAR_AUTH_AUDIENCE", Tokens.AUDIENCE));
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process process = builder.start();
            try {
                var stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Matcher ready = awaitReady(stdout);
                int port = Integer.parseInt(ready.group(1));
                List<String> lines = Collections.synchronizedList(new ArrayList<>());
                var drained = CompletableFuture.runAsync(() -> stdout.lines().forEach(lines::add));

                awaitReadyz(ready.group(2)); // the JWKS is fetched in the background at start
                var scim = new ScimClient(ready.group(3), SidecarFixture.SCIM_TOKEN);
                scim.createGroup("eng", scim.createUser(Tokens.EMAIL, Tokens.EMAIL));
                String token = "Authorization: Bearer " + Tokens.sign(key, Tokens.claims(Instant.now()).build());

                RecordingApp.Hold hold = app.holdNext();
                try (var held = new RawClient(port)) {
                    held.send(RawClient.get("/api/held", List.of(token, "X-App: hold")));
                    hold.awaitArrival();

                    // SIGTERM through the handle: Process.destroy() also closes the process's stdout,
                    // which the drain above is still reading (its next read fails with "Stream closed").
                    process.toHandle().destroy();
                    hold.release();

                    assertThat(held.read().status()).isEqualTo(200);
                }
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).isZero();
                drained.get(10, TimeUnit.SECONDS);
                assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"event\":\"decision\"")
                        .contains("\"path\":\"/api/held\"").contains("\"outcome\":\"allow\""));
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static void awaitReadyz(String adminUrl) throws Exception {
        var http = HttpClient.newHttpClient();
        var request = HttpRequest.newBuilder(URI.create(adminUrl + "/readyz")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            assertThat(System.nanoTime()).as("ready within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static Matcher awaitReady(BufferedReader stdout) throws IOException {
        for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                return ready;
            }
        }
        throw new AssertionError("the sidecar exited before it was ready");
    }
}
