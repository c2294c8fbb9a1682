package io.scimitar.scim.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** A bounded wait for a condition another thread brings about, checked every millisecond. */
public final class Await {

    private Await() {
    }

    /** Returns once {@code condition} holds; fails after 30 s. */
    public static void until(BooleanSupplier condition) {
        until(Duration.ofSeconds(30), condition, () -> "the condition still does not hold");
    }

    /** Returns once {@code condition} holds; fails with {@code state} described after {@code bound}. */
    public static void until(Duration bound, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound + ": " + state.get());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
