package io.scimitar.authn;

/**
 * The outcome of authenticating one token: the {@link VerifiedToken} itself, or a {@link Rejected}
 * reason. The verified token is its own success case so that a cache hit returns the cached value
 * without wrapping it (no allocation on the hit path).
 */
public sealed interface AuthResult permits VerifiedToken, AuthResult.Rejected {

    /** A refused token and why; one shared instance per reason. */
    record Rejected(RejectReason reason) implements AuthResult, TokenExtraction {

        private static final Rejected[] BY_REASON = new Rejected[RejectReason.values().length];

        static {
            for (RejectReason reason : RejectReason.values()) {
                BY_REASON[reason.ordinal()] = new Rejected(reason);
            }
        }

        public Rejected {
            java.util.Objects.requireNonNull(reason, "reason");
        }

        /** The shared instance for {@code reason}: rejecting allocates nothing. */
        public static Rejected of(RejectReason reason) {
            return BY_REASON[reason.ordinal()];
        }
    }
}
