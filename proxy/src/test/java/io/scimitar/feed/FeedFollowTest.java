package io.scimitar.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feed's normal course: a gzip snapshot, then each live change applied in order. */
class FeedFollowTest {

    private SourceDirectory source;
    private TestFeedServer receiver;

    @BeforeEach
    void start() throws IOException {
        source = new SourceDirectory();
        receiver = new TestFeedServer(source.store(), Duration.ofMillis(50));
    }

    @AfterEach
    void stop() {
        receiver.close();
        source.close();
    }

    @Test
    void aSnapshotThenLiveChangesReachTheIndexInOrder() {
        String ada = source.createUser("ada@example.com");
        String grace = source.createUser("grace@example.com");
        String eng = source.createGroup("eng", ada);

        try (var feed = new FeedHarness(receiver.url())) {
            feed.awaitCaughtUp(source);
            assertThat(feed.client.ready()).isTrue();
            assertThat(feed.versions()).containsExactly(3L);

            source.addMember(eng, grace);
            source.deactivate(ada);
            source.createUser("linus@example.com");
            feed.awaitCaughtUp(source);

            assertThat(feed.versions()).containsExactly(3L, 4L, 5L, 6L);
            assertThat(feed.resets()).isOne();
            assertThat(SourceDirectory.describe(feed.index.current())).containsEntry("ada@example.com", "inactive [eng]")
                    .containsEntry("grace@example.com", "active [eng]")
                    .containsEntry("linus@example.com", "active []");
            assertThat(receiver.served()).containsExactly(
                    new TestFeedServer.Served("/feed/v1/snapshot", 200, true),
                    new TestFeedServer.Served("/feed/v1/changes?after=3", 200, false));
        }
    }
}
