package io.scimitar.feed;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"): the n-th consecutive retry waits a uniformly random time in [0, min(cap, initial·2ⁿ)],
 * so a fleet of sidecars that lost the same receiver does not reconnect in one wave.
 */
final class Backoff {

    private final long initialMillis;
    private final long capMillis;
    private int attempts;

    Backoff(Duration initial, Duration cap) {
        if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= cap, got " + initial + " and " + cap);
        }
        this.initialMillis = initial.toMillis();
        this.capMillis = cap.toMillis();
    }

    /** The wait before the next retry; each call without a {@link #reset()} doubles the ceiling up to the cap. */
    Duration next() {
        long ceiling = Math.min(capMillis, initialMillis << Math.min(attempts, 30));
        attempts++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /** The feed is healthy again: the next failure starts from the initial ceiling. */
    void reset() {
        attempts = 0;
    }
}
