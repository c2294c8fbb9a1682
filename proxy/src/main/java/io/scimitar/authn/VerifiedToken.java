package io.scimitar.authn;

import java.time.Instant;
import java.util.Objects;

/**
 * A token whose signature, issuer, audience and lifetime have been checked: the user it names (the
 * value of the configured claim), when it expires, which verifier vouched for it, and a
 * fingerprint that identifies it in logs without revealing it.
 *
 * @param user        the configured user claim's value (e.g. the {@code email})
 * @param expiresAt   the token's {@code exp}
 * @param format      which verifier accepted it
 * @param fingerprint the first 64 bits of the token's SHA-256, in hex (safe to log)
 */
public record VerifiedToken(String user, Instant expiresAt, TokenFormat format, String fingerprint)
        implements AuthResult {

    public VerifiedToken {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
