package io.scimitar.scim.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.http.BearerTokens;
import io.scimitar.scim.http.ScimServer;
import io.scimitar.scim.http.ScimServerSettings;
import io.scimitar.scim.service.DirectorySettings;
import io.scimitar.scim.store.Directory;
import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.store.PostgresServer;
import io.scimitar.scim.store.PostgresSettings;
import io.scimitar.scim.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A receiver that fell behind another's compaction reloads its directory and cuts the change
 * streams it serves: a sidecar on such a stream reconnects, and one further behind than the log
 * now reaches gets 410.
 */
class FeedResyncTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    private static final String FEED_TOKEN = "feed-token-8b3e41c07d12";

    @Test
    void aReceiverThatReloadsItsDirectoryCutsItsStreams() throws Exception {
        PostgresSettings db = PostgresSettings.of(POSTGRES.createDatabase(), Optional.empty(), Optional.empty())
                .withPollInterval(Duration.ofMillis(300));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (Directory a = Directory.openPostgres(db, DirectorySettings.DEFAULT);
             Directory b = Directory.openPostgres(db, DirectorySettings.DEFAULT)) {
            Feed feed = Feed.on(FeedSettings.builder(BearerTokens.of(FEED_TOKEN)).build(), b.store());
            ScimServer server = new ScimServer(ScimServerSettings.builder(BearerTokens.of("scim-token-5f1c0d2e9a77"))
                    .host("127.0.0.1").port(0).build(), b.service(), feed).start();
            URI base = URI.create("http://127.0.0.1:" + server.port());
            try {
                a.createUser("alice");
                Await.until(() -> b.view().version() == 1);
                HttpResponse<Stream<String>> stream = http.send(request(base, 1), HttpResponse.BodyHandlers.ofLines());
                assertThat(stream.statusCode()).isEqualTo(200);
                try (FeedFixture.Lines lines = new FeedFixture.Lines(stream)) {
                    lines.next(); // the stream is up (the receiver says at once that the client is current)

                    // B publishes nothing meanwhile: it is behind A's writes and A's compaction.
                    b.store().withoutWrites(() -> {
                        a.createUser("bob");
                        a.createUser("carol");
                        return a.store().compactChangeLog(Instant.parse("2030-01-01T00:00:00Z"));
                    });

                    List<JsonNode> beforeTheCut = new ArrayList<>();
                    for (JsonNode line = lines.next(); !FeedFixture.Lines.isEnd(line); line = lines.next()) {
                        beforeTheCut.add(line);
                    }
                    assertThat(beforeTheCut).allSatisfy(l -> assertThat(l.path("type").asText()).isEqualTo("heartbeat"));
                }
                assertThat(b.view().version()).isEqualTo(3);
                assertThat(b.view().dump()).isEqualTo(DirectoryView.load(a.store()).dump());
                assertThat(http.send(request(base, 1), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(410);
            } finally {
                server.close();
            }
        } finally {
            http.shutdownNow();
        }
    }

    private static HttpRequest request(URI base, long after) {
        return HttpRequest.newBuilder(base.resolve("/feed/v1/changes?after=" + after))
                .header("Authorization", "Bearer " + FEED_TOKEN).timeout(Duration.ofSeconds(10)).GET().build();
    }

}
