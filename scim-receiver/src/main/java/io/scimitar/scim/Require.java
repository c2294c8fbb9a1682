package io.scimitar.scim;

import java.time.Duration;
import java.util.Objects;

/** The argument checks settings records share, with one wording for the same mistake. */
public final class Require {

    private Require() {
    }

    /** {@code value}, if it is above zero. */
    public static long positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": expected a positive number, got " + value);
        }
        return value;
    }

    /** {@code value}, if it is present and longer than zero. */
    public static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": expected a positive duration, got " + value);
        }
        return value;
    }
}
