package io.scimitar.listen;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listener's count of exchanges in flight (admitted and not yet fully answered) and whether it
 * is draining. On SIGTERM the listener stops accepting, new requests on open connections get 503,
 * and {@link #idle()} completes once the last in-flight exchange has finished.
 */
final class Drain {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private volatile boolean draining;

    /** Whether new requests are refused. */
    boolean draining() {
        return draining;
    }

    void begin() {
        inFlight.incrementAndGet();
    }

    void end() {
        if (inFlight.decrementAndGet() == 0 && draining) {
            idle.complete(null);
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Starts draining; the future completes when nothing is in flight (at once if nothing is). */
    CompletableFuture<Void> start() {
        draining = true;
        if (inFlight.get() == 0) {
            idle.complete(null);
        }
        return idle;
    }
}
