package io.scimitar.authn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Log-safe token identifiers: a SHA-256 prefix, computed only when a token is verified (a cache miss). */
final class Fingerprint {

    private static final HexFormat HEX = HexFormat.of();

    private Fingerprint() {
    }

    /** The first 8 bytes of SHA-256(token) in hex: enough to correlate log lines, useless to an attacker. */
    static String of(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HEX.formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
