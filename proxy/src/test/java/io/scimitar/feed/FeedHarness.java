package io.scimitar.feed;

import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.IndexUpdate;
import io.scimitar.index.MembershipIndex;
import io.scimitar.index.UserKey;
import io.scimitar.scim.testing.Await;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sidecar's directory fed over loopback: an empty {@link DirectoryIndex} and a {@link FeedClient}
 * following the given receivers with short backoff, recording every swap of the index.
 */
final class FeedHarness implements AutoCloseable {

    static final Duration BOUND = Duration.ofSeconds(20);

    final DirectoryIndex index = new DirectoryIndex(MembershipIndex.empty(UserKey.USER_NAME));
    final List<IndexUpdate> updates = new CopyOnWriteArrayList<>();
    final FeedClient client;

    FeedHarness(URI... receivers) {
        index.addListener(updates::add);
        client = FeedClient.builder(List.of(receivers), index, FeedToken.fixed(TestFeedServer.TOKEN))
                .maxStaleness(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(5))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
                .build()
                .start();
    }

    /** Waits until the index is at the source's version and says what the source says. */
    void awaitCaughtUp(SourceDirectory source) {
        Await.until(BOUND, () -> index.current().version() == source.version()
                        && SourceDirectory.describe(index.current()).equals(source.expected()),
                () -> "index at " + index.current().version() + " " + SourceDirectory.describe(index.current())
                        + ", source at " + source.version() + " " + source.expected());
    }

    /** The version of every swap, in order. */
    List<Long> versions() {
        return updates.stream().map(u -> u.current().version()).toList();
    }

    /** How many swaps were whole resets from a snapshot. */
    long resets() {
        return updates.stream().filter(IndexUpdate::everyUser).count();
    }

    @Override
    public void close() {
        client.close();
    }
}
