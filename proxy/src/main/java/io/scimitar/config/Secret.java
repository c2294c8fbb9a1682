package io.scimitar.config;

import io.scimitar.scim.http.BearerTokens;
import java.util.Objects;

/** A value that must not leak: {@link #toString()} never shows it, only a short SHA-256 fingerprint. */
public final class Secret {

    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself; call it only where the value is used, never to print or log. */
    public String reveal() {
        return value;
    }

    /** The first 8 hex digits of the value's SHA-256, enough to tell two tokens apart in a log. */
    public String fingerprint() {
        return BearerTokens.fingerprint(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "<redacted sha256:" + fingerprint() + ">";
    }
}
