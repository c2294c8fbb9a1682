package io.scimitar.feed;

import io.scimitar.feed.TestFeedServer.Served;
import io.scimitar.scim.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A receiver that answers 503 with {@code Retry-After} is not asked again before the time it asked
 * for, while another receiver is tried at once; a {@code Retry-After} the client cannot read is
 * ignored (the usual backoff applies).
 */
class FeedRetryAfterTest {

    private static final Served SNAPSHOT = new Served("/feed/v1/snapshot", 200, true);
    private static final Served REFUSED_SNAPSHOT = new Served("/feed/v1/snapshot", 503, false);

    private SourceDirectory source;
    private TestFeedServer a;
    private TestFeedServer b;

    @BeforeEach
    void start() throws IOException {
        source = new SourceDirectory();
        a = new TestFeedServer(source.store(), Duration.ofMillis(50));
        b = new TestFeedServer(source.store(), Duration.ofMillis(50));
        String ada = source.createUser("ada@example.com");
        source.createGroup("eng", ada);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        source.close();
    }

    @Test
    void aLoneReceiverIsAskedAgainOnlyAfterItsRetryAfter() {
        a.refuseNext(1, "2");

        try (var feed = new FeedHarness(a.url())) {
            feed.awaitCaughtUp(source);

            assertThat(a.served()).startsWith(REFUSED_SNAPSHOT, SNAPSHOT);
            List<Long> at = a.servedAt();
            // The backoff alone would have come back within 100 ms; a lower bound only, with slack for clocks.
            assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isGreaterThan(Duration.ofMillis(1_900));
        }
    }

    @Test
    void anotherReceiverIsTriedAtOnceAndTheWaitingOneIsLeftAlone() {
        a.refuseNext(1, "30");

        try (var feed = new FeedHarness(a.url(), b.url())) {
            // Within the harness's 20 s bound, so well before a's 30 s.
            feed.awaitCaughtUp(source);
            assertThat(b.served()).startsWith(SNAPSHOT);

            // b's stream is cut: round robin would go to a next, but a asked for 30 s, so back to b.
            Await.until(FeedHarness.BOUND, () -> b.openStreams() == 1, () -> b.served().toString());
            b.cutStreams();
            source.createUser("grace@example.com");
            feed.awaitCaughtUp(source);
            Await.until(FeedHarness.BOUND, () -> b.openStreams() == 1, () -> b.served().toString());

            assertThat(a.served()).containsExactly(REFUSED_SNAPSHOT);
            assertThat(b.served()).filteredOn(s -> s.target().startsWith("/feed/v1/changes")).hasSize(2);
            assertThat(feed.resets()).isOne();
        }
    }

    @Test
    void aRetryAfterThatIsNotAWaitIsIgnored() {
        a.refuseNext(2, "soon");

        try (var feed = new FeedHarness(a.url())) {
            // Read as anything like the 60 s cap, this would not be within the harness's 20 s bound.
            feed.awaitCaughtUp(source);

            assertThat(a.served()).startsWith(REFUSED_SNAPSHOT, REFUSED_SNAPSHOT, SNAPSHOT);
        }
    }
}
