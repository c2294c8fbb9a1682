package io.scimitar.feed;

import io.scimitar.feed.TestFeedServer.Served;
import io.scimitar.scim.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way a feed fails and how the client comes back: a cut stream, a refused connection, a gap,
 * a garbled line, a version the log no longer holds (410), a snapshot without its end. Each time
 * the index ends equal to the source, with every change applied once, in order.
 */
class FeedRecoveryTest {

    private SourceDirectory source;
    private TestFeedServer a;
    private TestFeedServer b;
    private String ada;
    private String eng;

    @BeforeEach
    void start() throws IOException {
        source = new SourceDirectory();
        a = new TestFeedServer(source.store(), Duration.ofMillis(50));
        b = new TestFeedServer(source.store(), Duration.ofMillis(50));
        ada = source.createUser("ada@example.com");
        source.createUser("grace@example.com");
        eng = source.createGroup("eng", ada);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        source.close();
    }

    @Test
    void aCutStreamResumesFromTheLastVersionOnTheNextReceiver() {
        try (var feed = new FeedHarness(a.url(), b.url())) {
            feed.awaitCaughtUp(source);
            cutTheFollowedStream(a);
            source.deactivate(ada);
            source.createUser("linus@example.com");
            feed.awaitCaughtUp(source);

            assertThat(feed.versions()).containsExactly(3L, 4L, 5L);
            // Resumed where it was: after 3, or after 4 when the deactivation got through before the cut did.
            assertThat(b.served().getFirst()).isIn(new Served("/feed/v1/changes?after=3", 200, false),
                    new Served("/feed/v1/changes?after=4", 200, false));
            assertThat(a.served()).filteredOn(s -> s.target().contains("snapshot")).hasSize(1);
            assertThat(b.served()).noneMatch(s -> s.target().contains("snapshot"));
        }
    }

    /** Cuts the client's change stream once it is open (after the snapshot, the client asks for changes). */
    private static void cutTheFollowedStream(TestFeedServer receiver) {
        Await.until(FeedHarness.BOUND, () -> receiver.openStreams() == 1, () -> receiver.served().toString());
        receiver.cutStreams();
    }

    @Test
    void aReceiverThatRefusesConnectionsIsSkipped() throws IOException {
        URI refusing;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = URI.create("http://127.0.0.1:" + closed.getLocalPort());
        }
        try (var feed = new FeedHarness(refusing, a.url())) {
            feed.awaitCaughtUp(source);

            source.deactivate(ada);
            feed.awaitCaughtUp(source);
            assertThat(feed.versions()).containsExactly(3L, 4L);
        }
    }

    @Test
    void aGapMakesItReconnectAndFetchTheMissingChange() {
        try (var feed = new FeedHarness(a.url())) {
            feed.awaitCaughtUp(source);

            a.skipNextChange();
            source.deactivate(ada);
            source.removeMember(eng, ada);
            feed.awaitCaughtUp(source);

            assertThat(feed.versions()).containsExactly(3L, 4L, 5L);
            assertThat(a.served()).filteredOn(s -> s.target().equals("/feed/v1/changes?after=3")).hasSize(2);
        }
    }

    @Test
    void aGarbledLineMakesItReconnect() {
        try (var feed = new FeedHarness(a.url(), b.url())) {
            feed.awaitCaughtUp(source);

            a.garbleNextChange();
            source.deactivate(ada);
            feed.awaitCaughtUp(source);

            assertThat(feed.versions()).containsExactly(3L, 4L);
            // Resumed where it was: after 3, or after 4 when the deactivation got through before the cut did.
            assertThat(b.served().getFirst()).isIn(new Served("/feed/v1/changes?after=3", 200, false),
                    new Served("/feed/v1/changes?after=4", 200, false));
        }
    }

    @Test
    void aVersionTheLogNoLongerHoldsTakesAFreshSnapshotAndResets() {
        try (var feed = new FeedHarness(a.url())) {
            feed.awaitCaughtUp(source);

            Await.until(FeedHarness.BOUND, () -> a.openStreams() == 1, () -> a.served().toString());
            a.answerChangesWith(503);
            a.cutStreams();
            Await.until(FeedHarness.BOUND, () -> a.served().stream().anyMatch(s -> s.status() == 503),
                    () -> a.served().toString());
            source.deactivate(ada);
            source.createUser("linus@example.com");
            a.compactThrough(source.version());
            a.answerChangesWith(200);
            feed.awaitCaughtUp(source);

            assertThat(feed.versions()).containsExactly(3L, 5L);
            assertThat(feed.resets()).isEqualTo(2);
            assertThat(a.served()).contains(new Served("/feed/v1/changes?after=3", 410, false));
            assertThat(a.served()).filteredOn(s -> s.target().contains("snapshot")).hasSize(2);

            source.createUser("ken@example.com");
            feed.awaitCaughtUp(source);
            assertThat(feed.versions()).containsExactly(3L, 5L, 6L);
        }
    }

    @Test
    void aSnapshotWithoutItsEndIsDiscardedWhole() {
        a.truncateNextSnapshot();

        try (var feed = new FeedHarness(a.url())) {
            feed.awaitCaughtUp(source);

            assertThat(a.served()).filteredOn(s -> s.target().contains("snapshot")).hasSize(2);
            assertThat(feed.updates).hasSize(1);
            assertThat(feed.updates.getFirst().current().groupCount()).isOne();
        }
    }
}
