package io.scimitar.forward;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Objects;

/**
 * The verified identity the app behind the sidecar receives as {@code X-Scimitar-*} headers; the
 * only source of those headers, since every client-sent one is stripped before forwarding.
 */
public record ForwardedIdentity(String userName, String id, String email, List<String> groups, long directoryVersion) {

    public static final String USER = "X-Scimitar-User";
    public static final String USER_ID = "X-Scimitar-User-Id";
    public static final String EMAIL = "X-Scimitar-Email";
    public static final String GROUPS = "X-Scimitar-Groups";
    public static final String DIRECTORY_VERSION = "X-Scimitar-Directory-Version";

    /** The bound on the groups header, in characters: groups past it are left out, whole names only. */
    public static final int MAX_GROUPS_LENGTH = 8 * 1024;

    /** What a public route forwards: no identity at all, only the stripping of client-sent headers. */
    public static final ForwardedIdentity ANONYMOUS = new ForwardedIdentity("", "", "", List.of(), 0);

    public ForwardedIdentity {
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        groups = List.copyOf(groups);
        if (directoryVersion < 0) {
            throw new IllegalArgumentException("directoryVersion: expected at least 0, got " + directoryVersion);
        }
    }

    /** Sets the identity headers on a request about to go upstream (none for {@link #ANONYMOUS}); an empty email is left out. */
    void writeTo(HttpHeaders headers) {
        if (this == ANONYMOUS) {
            return;
        }
        headers.set(USER, escape(userName));
        headers.set(USER_ID, escape(id));
        if (!email.isEmpty()) {
            headers.set(EMAIL, escape(email));
        }
        headers.set(GROUPS, groupsValue());
        headers.set(DIRECTORY_VERSION, Long.toString(directoryVersion));
    }

    private String groupsValue() {
        var out = new StringBuilder();
        for (String group : groups) {
            String name = escape(group);
            int needed = name.length() + (out.isEmpty() ? 0 : 1);
            if (out.length() + needed > MAX_GROUPS_LENGTH) {
                break;
            }
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(name);
        }
        return out.toString();
    }

    /**
     * Percent-encodes what would break the header or the comma-separated list: '%', ',', controls
     * and non-ASCII (as UTF-8), so a displayName like "R&amp;D, EU" arrives as one unambiguous item.
     */
    static String escape(String value) {
        int i = 0;
        int n = value.length();
        while (i < n && plain(value.charAt(i))) {
            i++;
        }
        if (i == n) {
            return value;
        }
        var out = new StringBuilder(n + 16).append(value, 0, i);
        for (byte b : value.substring(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int octet = b & 0xFF;
            if (octet < 0x80 && plain((char) octet)) {
                out.append((char) octet);
            } else {
                out.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xF]);
            }
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static boolean plain(char c) {
        return c >= 0x20 && c < 0x7F && c != '%' && c != ',';
    }
}
