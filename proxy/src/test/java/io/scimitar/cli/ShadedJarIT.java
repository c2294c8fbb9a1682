package io.scimitar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import io.scimitar.authn.KeyServer;
import io.scimitar.authn.Tokens;
import io.scimitar.scim.http.RunningScimServer;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.store.PostgresServer;
import io.scimitar.scim.testing.Await;
import io.scimitar.testing.RecordingApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar we ship, {@code target/scimitar.jar} as {@code package} shaded it, run as a process: the
 * tests on the class path cannot see a service file the shading lost (Flyway's PostgreSQL support,
 * the JDBC drivers), a resource left out, or a manifest gone wrong. A receiver on PostgreSQL
 * migrates its schema, takes SCIM writes, serves the feed, and stops cleanly on SIGTERM; a sidecar
 * in feed mode follows it and revokes.
 */
class ShadedJarIT {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    private static final String SCIM_TOKEN = "jar-it-scim-token-0123456789";
    private static final String FEED_TOKEN = "jar-it-feed-token-0123456789";
    private static final Path JAR = Path.of(System.getProperty("scimitar.jar", "target/scimitar.jar"));
    private static final Pattern SIDECAR_READY = Pattern.compile("scimitar sidecar ready: listening at http://127\\.0\\.0\\.1:(\\d+), ");

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theVersionCommandRuns() throws Exception {
        Process version = new ProcessBuilder(java(), "-jar", JAR.toString(), "version").redirectErrorStream(true).start();
        String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(version.exitValue()).as(out).isZero();
        assertThat(out).matches("scimitar \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java \\S+\\)\\R");
    }

    @Test
    void aReceiverOnPostgresFromTheJarServesScimAndTheFeedAndStopsCleanly() throws Exception {
        Path stderr = dir.resolve("receiver.log");
        ReceiverProcess receiver = ReceiverProcess.startJar(JAR, Map.of("SCIMITAR_STORE", POSTGRES.createDatabase(),
                "SCIMITAR_SCIM_TOKEN", SCIM_TOKEN, "SCIMITAR_FEED_TOKEN", FEED_TOKEN),
                ProcessBuilder.Redirect.to(stderr.toFile()));
        try {
            assertThat(Files.readString(stderr)).contains("\"event\":\"store_schema_migrated\"");
            String ada = post(receiver.url() + "/Users", """
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@example.com"}""");
            String eng = post(receiver.url() + "/Groups", """
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"eng","members":[{"value":"%s"}]}"""
                    .formatted(ada));

            HttpResponse<String> snapshot = http.send(HttpRequest.newBuilder(
                            URI.create(receiver.url().replace("/scim/v2", "/feed/v1/snapshot")))
                    .header("Authorization", "Bearer " + FEED_TOKEN).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(snapshot.statusCode()).as(snapshot.body()).isEqualTo(200);
            List<JsonNode> lines = snapshot.body().lines().map(ShadedJarIT::json).toList();
            assertThat(lines).extracting(l -> l.path("type").asText()).containsExactly("snapshot", "group", "user", "end");
            assertThat(lines.get(2).path("user").path("id").asText()).isEqualTo(ada);
            assertThat(lines.get(2).path("groups").get(0).asText()).isEqualTo(eng);
            assertThat(lines.get(3).path("memberships").asLong()).isEqualTo(1);
        } finally {
            receiver.process().toHandle().destroy(); // SIGTERM, leaving the pipes open (Process.destroy closes them)
        }
        assertThat(receiver.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(receiver.process().exitValue()).as(Files.readString(stderr)).isZero();
    }

    /**
     * The deployment the fleet is for: a sidecar from the jar in feed mode, following a receiver from
     * the jar on PostgreSQL. A user granted a group is let through once the change reaches the
     * sidecar, and refused once deactivated; both processes stop with 0 on SIGTERM.
     */
    @Test
    void aSidecarFromTheJarFollowsTheReceiversFeedAndRevokes() throws Exception {
        RSAKey key = Tokens.rsa("jar-it-key");
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
                roles:
                  engineers: [eng]
                routes:
                  - path: /api/**
                    allow: [engineers]
                """);
        try (var app = new RecordingApp(); var idp = new KeyServer()) {
            idp.publish(List.of(key));
            ReceiverProcess receiver = ReceiverProcess.startJar(JAR, Map.of("SCIMITAR_STORE", POSTGRES.createDatabase(),
                    "SCIMITAR_SCIM_TOKEN", SCIM_TOKEN, "SCIMITAR_FEED_TOKEN", FEED_TOKEN),
                    ProcessBuilder.Redirect.to(dir.resolve("receiver.log").toFile()));
            ProcessBuilder builder = new ProcessBuilder(java(), "-jar", JAR.toString(), "proxy")
                    .redirectError(dir.resolve("sidecar.log").toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("SCIMITAR_"));
            builder.environment().putAll(Map.of("SCIMITAR_LISTEN", "127.0.0.1:0", "SCIMITAR_ADMIN_LISTEN", "127.0.0.1:0",
                    "SCIMITAR_FEED_URLS", receiver.url().replace("/scim/v2", ""), "SCIMITAR_FEED_TOKEN", FEED_TOKEN,
                    "SCIMITAR_UPSTREAM", "http://127.0.0.1:" + app.port(), "SCIMITAR_POLICY", policy.toString(),
                    "SCIMITAR_AUTH_JWKS_URL", idp.jwksUrl().toString(), "SCIMITAR_AUTH_ISSUER", Tokens.ISSUER,
                    "SCIMITAR_AUTH_AUDIENCE", Tokens.AUDIENCE));
            Process sidecar = builder.start();
            try {
                var stdout = new BufferedReader(new InputStreamReader(sidecar.getInputStream(), StandardCharsets.UTF_8));
                Matcher ready = sidecarReady(stdout);
                // The audit lines go to stdout: keep reading it, or a full pipe would stall the sidecar.
                var drained = CompletableFuture.runAsync(() -> stdout.lines().forEach(line -> { }));
                URI api = URI.create("http://127.0.0.1:" + ready.group(1) + "/api/things");
                String token = "Bearer " + Tokens.sign(key, Tokens.claims(Instant.now()).build());

                String ada = post(receiver.url() + "/Users", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s"}""".formatted(Tokens.EMAIL));
                post(receiver.url() + "/Groups", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"eng","members":[{"value":"%s"}]}"""
                        .formatted(ada));
                Await.until(Duration.ofSeconds(30), () -> status(api, token) == 200, () -> "never let through");

                HttpResponse<String> deactivated = http.send(HttpRequest.newBuilder(URI.create(receiver.url() + "/Users/" + ada))
                        .header("Authorization", "Bearer " + SCIM_TOKEN).header("Content-Type", "application/scim+json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("""
                                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                 "Operations":[{"op":"replace","path":"active","value":false}]}"""))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(deactivated.statusCode()).as(deactivated.body()).isEqualTo(200);
                Await.until(Duration.ofSeconds(30), () -> status(api, token) == 403, () -> "never refused");

                sidecar.toHandle().destroy(); // SIGTERM, leaving the pipes open (Process.destroy closes them)
                assertThat(sidecar.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(sidecar.exitValue()).as(Files.readString(dir.resolve("sidecar.log"))).isZero();
                drained.get(10, TimeUnit.SECONDS);
            } finally {
                sidecar.destroyForcibly();
                receiver.process().toHandle().destroy();
            }
            assertThat(receiver.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(receiver.process().exitValue()).isZero();
        }
    }

    /** The sidecar's ready line: its port in group 1. */
    private static Matcher sidecarReady(BufferedReader stdout) throws IOException {
        for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
            Matcher ready = SIDECAR_READY.matcher(line);
            if (ready.find()) {
                return ready;
            }
        }
        throw new AssertionError("the sidecar exited before it was ready");
    }

    private int status(URI uri, String authorization) {
        return RunningScimServer.send(http, HttpRequest.newBuilder(uri).header("Authorization", authorization)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String post(String url, String body) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + SCIM_TOKEN).header("Content-Type", "application/scim+json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created.body()).path("id").asText();
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
