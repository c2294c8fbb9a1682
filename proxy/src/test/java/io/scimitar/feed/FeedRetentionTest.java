package io.scimitar.feed;

import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.IndexUpdate;
import io.scimitar.index.MembershipIndex;
import io.scimitar.index.UserKey;
import io.scimitar.scim.feed.Feed;
import io.scimitar.scim.feed.FeedSettings;
import io.scimitar.scim.http.BearerTokens;
import io.scimitar.scim.http.ScimServer;
import io.scimitar.scim.http.ScimServerSettings;
import io.scimitar.scim.service.DirectoryService;
import io.scimitar.scim.service.DirectorySettings;
import io.scimitar.scim.store.ChangeLogRetention;
import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sidecar away for longer than the change log's retention: the real receiver's feed answers 410
 * to the version it comes back with, and the feed client takes a fresh snapshot and ends with the
 * exact directory.
 */
class FeedRetentionTest {

    private SourceDirectory source;
    private DirectoryView view;
    private ScimServer receiver;
    private URI url;

    @BeforeEach
    void start() throws IOException {
        source = new SourceDirectory();
        view = DirectoryView.follow(source.store());
        Feed feed = Feed.on(FeedSettings.builder(BearerTokens.of(TestFeedServer.TOKEN)).build(), source.store());
        receiver = new ScimServer(ScimServerSettings.builder(BearerTokens.of("scim-token-0123456789abcdef"))
                .host("127.0.0.1").port(0).build(),
                new DirectoryService(source.store(), view, DirectorySettings.DEFAULT), feed).start();
        url = URI.create("http://127.0.0.1:" + receiver.port());
    }

    @AfterEach
    void stop() {
        receiver.close();
        view.close();
        source.close();
    }

    @Test
    void aSidecarBehindTheRetentionGets410AndTakesAFreshSnapshot() throws Exception {
        String ada = source.createUser("ada@example.com");
        source.createUser("grace@example.com");
        String eng = source.createGroup("eng", ada);
        // The sidecar's directory as it was when it went away, at version 3.
        DirectoryIndex index = new DirectoryIndex(MembershipIndex.of(source.store().snapshot(), UserKey.USER_NAME));
        assertThat(index.current().version()).isEqualTo(3);

        source.deactivate(ada);
        source.removeMember(eng, ada);
        source.createUser("linus@example.com");
        // Eight days later, with the default seven-day retention: all but the newest change go.
        Clock eightDaysLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(8));
        try (ChangeLogRetention retention = ChangeLogRetention.start(source.store(),
                ChangeLogRetention.DEFAULT_RETENTION, eightDaysLater)) {
            Await.until(FeedHarness.BOUND, () -> source.store().changeLog().oldestVersion() == 6,
                    () -> "oldest version " + source.store().changeLog().oldestVersion());
            assertThat(retention.compact().removed()).isZero();
        }
        assertThat(source.store().changeLog().currentVersion()).isEqualTo(6);
        assertThat(changesStatus(3)).isEqualTo(410);
        assertThat(changesStatus(5)).isEqualTo(200);

        List<IndexUpdate> updates = new CopyOnWriteArrayList<>();
        index.addListener(updates::add);
        try (FeedClient client = FeedClient.builder(List.of(url), index, FeedToken.fixed(TestFeedServer.TOKEN))
                .maxStaleness(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(5))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
                .build()
                .start()) {
            Await.until(FeedHarness.BOUND, () -> index.current().version() == 6,
                    () -> "index at " + index.current().version());
            assertThat(SourceDirectory.describe(index.current())).isEqualTo(source.expected());
            assertThat(updates).hasSize(1);
            assertThat(updates.getFirst().everyUser()).isTrue();

            source.createUser("ken@example.com");
            Await.until(FeedHarness.BOUND, () -> index.current().version() == 7,
                    () -> "index at " + index.current().version());
            assertThat(SourceDirectory.describe(index.current())).isEqualTo(source.expected());
            assertThat(updates).extracting(u -> u.current().version()).containsExactly(6L, 7L);
        }
    }

    /** The status of {@code GET /feed/v1/changes?after=V} (the body of a 200 stream is not read). */
    private int changesStatus(long after) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            HttpRequest request = HttpRequest.newBuilder(url.resolve("/feed/v1/changes?after=" + after))
                    .header("Authorization", "Bearer " + TestFeedServer.TOKEN).build();
            // An input stream: send returns with the headers, not at the end of a stream that never ends.
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode();
        } finally {
            http.shutdownNow();
        }
    }
}
