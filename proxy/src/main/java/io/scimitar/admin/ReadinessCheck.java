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

    /** A check named {@code name} that reads {@code ready}, which must be as cheap as a flag. */
    static ReadinessCheck of(String name, java.util.function.BooleanSupplier ready) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean ready() {
                return ready.getAsBoolean();
            }
        };
    }
}
