package io.scimitar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver's logs, as a real process writes them: one JSON object per line on stderr with a
 * stable {@code event} field, and never a token, not even a rejected one.
 */
class JsonLogTest {

    private static final String TOKEN = "json-log-test-token-0123456789";
    private static final String WRONG_TOKEN = "not-the-token-but-long-enough-to-look-real";

    @TempDir
    Path dir;

    @Test
    void logsAreJsonLinesWithAnEventAndNoToken() throws Exception {
        Path stderr = dir.resolve("stderr.log");
        ReceiverProcess receiver = ReceiverProcess.start(dir.resolve("scimitar.db"), TOKEN,
                ProcessBuilder.Redirect.to(stderr.toFile()));
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (String token : List.of(TOKEN, WRONG_TOKEN)) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(receiver.url() + "/Users"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(token.equals(TOKEN) ? 200 : 401);
            }
        } finally {
            receiver.process().destroy(); // SIGTERM: drain, close, exit 0
            assertThat(receiver.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(receiver.process().exitValue()).isZero();

        String log = Files.readString(stderr);
        assertThat(log).doesNotContain(TOKEN).doesNotContain(WRONG_TOKEN);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.lines().toList()) {
            lines.add(Json.MAPPER.readTree(line)); // throws on anything that is not one JSON object
        }
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.path("event").asText()).isNotBlank();
            assertThat(line.path("level").asText()).isNotBlank();
            assertThat(line.path("time").asText()).isNotBlank();
        });
        assertThat(lines).extracting(line -> line.path("event").asText())
                .contains("scim_server_started", "scim_request", "scim_token_rejected", "shutdown_complete");
        JsonNode request = lines.stream().filter(l -> l.path("event").asText().equals("scim_request")
                && l.path("status").asInt() == 200).findFirst().orElseThrow();
        assertThat(request.path("path").asText()).isEqualTo("/scim/v2/Users");
        assertThat(request.path("method").asText()).isEqualTo("GET");
        assertThat(request.has("duration_ms")).isTrue();
    }
}
