package io.scimitar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import io.scimitar.config.ScimitarConfig;
import io.scimitar.scim.store.PostgresServer;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real wiring on PostgreSQL: two receivers configured with the same {@code SCIMITAR_STORE}
 * (credentials from their keys), a user created through one is found through the other.
 */
class ReceiverLauncherPostgresTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    private static final String TOKEN = "postgres-test-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void aUserCreatedThroughOneReceiverIsFoundThroughTheOther() throws Exception {
        // The test cluster trusts loopback, so any password is accepted: this checks the keys' wiring.
        Path passwordFile = Files.writeString(dir.resolve("db-password"), "not-checked-by-trust\n");
        String url = POSTGRES.createDatabase().replace("?user=postgres", "");
        ScimitarConfig config = new ConfigLoader(Map.of("SCIMITAR_SCIM_TOKEN", TOKEN,
                "SCIMITAR_SCIM_LISTEN", "127.0.0.1:0", "SCIMITAR_STORE", url, "SCIMITAR_STORE_USER", "postgres",
                "SCIMITAR_STORE_PASSWORD_FILE", passwordFile.toString()))
                .load(Optional.empty(), Profile.RECEIVER);
        ReceiverLauncher launcher = new ReceiverLauncher(ReceiverLauncher::openJdbc);
        HttpClient http = HttpClient.newHttpClient();

        try (RunningReceiver a = launcher.start(config, List.of());
             RunningReceiver b = launcher.start(config, List.of())) {
            assertThat(b.readyLine()).endsWith("(store " + url + ", directory version 0)");
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(a.scimUrl() + "/Users"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/scim+json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"ada@example.com\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            HttpRequest search = HttpRequest.newBuilder(URI.create(b.scimUrl()
                            + "/Users?filter=userName%20eq%20%22ada@example.com%22"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(10))
                    .build();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            HttpResponse<String> found;
            // B answers reads from its view, which learns of A's write through NOTIFY (or the poll).
            while (!(found = http.send(search, HttpResponse.BodyHandlers.ofString())).body()
                    .contains("\"totalResults\":1")) {
                if (System.nanoTime() > deadline) {
                    fail("receiver B never saw the user: " + found.body());
                }
                Thread.onSpinWait();
            }
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).contains("ada@example.com");
        }
    }
}
