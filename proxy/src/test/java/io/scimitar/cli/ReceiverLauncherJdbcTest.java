package io.scimitar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import io.scimitar.config.ScimitarConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real wiring: SQLite store, directory service and server, from configuration to a durable write. */
class ReceiverLauncherJdbcTest {

    private static final String TOKEN = "jdbc-test-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void aWriteSurvivesARestartAndRaisesTheDirectoryVersion() throws Exception {
        Path db = dir.resolve("data/nested/scimitar.db");
        ScimitarConfig config = new ConfigLoader(Map.of("SCIMITAR_SCIM_TOKEN", TOKEN,
                "SCIMITAR_SCIM_LISTEN", "127.0.0.1:0", "SCIMITAR_STORE", "sqlite:" + db))
                .load(Optional.empty(), Profile.RECEIVER);
        ReceiverLauncher launcher = new ReceiverLauncher(ReceiverLauncher::openJdbc);
        HttpClient http = HttpClient.newHttpClient();

        try (RunningReceiver first = launcher.start(config, List.of())) {
            assertThat(first.readyLine()).endsWith("(store sqlite:" + db + ", directory version 0)");
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(first.scimUrl() + "/Users"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/scim+json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"ada@example.com\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        assertThat(Files.exists(db)).isTrue();

        try (RunningReceiver second = launcher.start(config, List.of())) {
            assertThat(second.readyLine()).endsWith("(store sqlite:" + db + ", directory version 1)");
            HttpResponse<String> found = http.send(HttpRequest.newBuilder(URI.create(second.scimUrl()
                            + "/Users?filter=userName%20eq%20%22ada@example.com%22"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).contains("\"totalResults\":1").contains("ada@example.com");
        }
    }
}
