package io.scimitar.admin;

/**
 * One condition the sidecar needs before it takes traffic (policy loaded, directory loaded, keys
 * fetched); {@code /readyz} answers 200 only when every registered check is ready.
 * {@link #ready()} runs on the admin event loop, so it must read a flag, never block.
 */
public interface ReadinessCheck {

    /** A short stable name, shown as the key in the {@code /readyz} body. */
    String name();

    /** Whether this condition holds now; must not block. */
    boolean ready();
}
