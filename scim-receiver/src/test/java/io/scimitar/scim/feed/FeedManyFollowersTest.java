package io.scimitar.scim.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One receiver holds a thousand change streams on its event loops, and every one of them gets a change. */
class FeedManyFollowersTest {

    private static final int FOLLOWERS = 1_000;

    @Test
    void aThousandStreamsAllReceiveAChange() throws InterruptedException {
        try (FeedFixture receiver = FeedFixture.start();
                FeedStreams streams = FeedStreams.open(receiver.server.port(), FeedFixture.FEED_TOKEN, FOLLOWERS)) {
            assertThat(streams.awaitLive(60)).as("every stream is live").isTrue();
            CountDownLatch changed = streams.expect(1);
            receiver.createUser("everyone-sees-me");
            assertThat(changed.await(30, TimeUnit.SECONDS)).as("every stream got the change").isTrue();
            assertThat(streams.open()).as("streams still open").isEqualTo(FOLLOWERS);
        }
    }
}
