package io.scimitar.feed;

import java.time.Duration;

/**
 * How current the sidecar's view of the directory is: the time since the last snapshot, change or
 * heartbeat, against the staleness bound. Read on the request path (one volatile read and a clock
 * read), written by the feed's thread.
 */
final class Freshness {

    private final long boundNanos;
    private final long createdNanos = System.nanoTime();
    /** When the feed last confirmed the view; {@link #createdNanos} until the first snapshot. */
    private volatile long heardNanos = createdNanos;
    private volatile boolean everHeard;

    Freshness(Duration bound) {
        this.boundNanos = bound.toNanos();
    }

    /** The feed confirmed the view is current now. */
    void heard() {
        heardNanos = System.nanoTime();
        everHeard = true;
    }

    /** True before the first snapshot, and whenever nothing was heard for longer than the bound. */
    boolean stale() {
        return !everHeard || System.nanoTime() - heardNanos > boundNanos;
    }

    /** Seconds since the view was last confirmed (since the client started, before the first snapshot). */
    double ageSeconds() {
        return (System.nanoTime() - heardNanos) / 1e9;
    }

    boolean everHeard() {
        return everHeard;
    }
}
