package io.scimitar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.store.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar we ship, {@code target/scimitar.jar} as {@code package} shaded it, run as a process: the
 * tests on the class path cannot see a service file the shading lost (Flyway's PostgreSQL support,
 * the JDBC drivers), a resource left out, or a manifest gone wrong. A receiver on PostgreSQL
 * migrates its schema, takes SCIM writes, serves the feed, and stops cleanly on SIGTERM.
 */
class ShadedJarIT {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    private static final String SCIM_TOKEN = "jar-it-scim-token-0123456789";
    private static final String FEED_TOKEN = "jar-it-feed-token-0123456789";
    private static final Path JAR = Path.of(System.getProperty("scimitar.jar", "target/scimitar.jar"));

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
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
