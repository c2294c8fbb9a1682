package io.scimitar.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;

/** Reading {@code Retry-After} (delta-seconds or an HTTP-date, capped, garbage ignored) and choosing the next receiver around the waits asked for. */
class PushbackTest {

    private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

    private final AtomicLong nanos = new AtomicLong(1_000);

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            2                              | PT2S
            0                              | PT0S
            ' 5 '                          | PT5S
            60                             | PT1M
            61                             | PT1M
            86400                          | PT1M
            99999999999999999999999999     | PT1M
            Wed, 21 Oct 2015 07:28:30 GMT  | PT30S
            Wed, 21 Oct 2015 07:27:00 GMT  | PT0S
            Thu, 22 Oct 2015 07:28:00 GMT  | PT1M
            """)
    void aRetryAfterIsAWaitOfAtMostAMinute(String value, Duration wait) {
        assertThat(Pushback.parse(value, NOW)).contains(wait);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "-1", "1.5", "2s", "0x10", "+3", "Wed, 21 Oct 2015 25:00:00 GMT", "2015-10-21T07:29:00Z"})
    void garbageIsIgnored(String value) {
        assertThat(Pushback.parse(value, NOW)).isEqualTo(Optional.empty());
    }

    @Test
    void theNextReceiverIsTheNextInTurnThatIsNotWaiting() {
        var pushback = new Pushback(3, nanos::get);
        assertThat(pushback.next(0)).isEqualTo(1);
        assertThat(pushback.next(2)).isEqualTo(0);

        pushback.hold(1, Duration.ofSeconds(30));
        assertThat(pushback.next(0)).isEqualTo(2);
        assertThat(pushback.remaining(1)).isEqualTo(Duration.ofSeconds(30));

        pushback.hold(2, Duration.ofSeconds(10));
        assertThat(pushback.next(0)).as("the failed receiver itself, when every other one waits").isZero();
    }

    @Test
    void whenEveryReceiverWaitsTheOneFreeSoonestIsNextAndItsWaitRunsOut() {
        var pushback = new Pushback(2, nanos::get);
        pushback.hold(0, Duration.ofSeconds(30));
        pushback.hold(1, Duration.ofSeconds(2));

        assertThat(pushback.next(1)).isEqualTo(1);
        assertThat(pushback.remaining(1)).isEqualTo(Duration.ofSeconds(2));

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(pushback.remaining(1)).isZero();
        assertThat(pushback.remaining(0)).isEqualTo(Duration.ofSeconds(28));
        assertThat(pushback.next(1)).as("0 still waits").isEqualTo(1);

        nanos.addAndGet(Duration.ofSeconds(28).toNanos());
        assertThat(pushback.next(1)).isZero();
    }
}
