package io.scimitar.listen;

import java.util.Objects;

/**
 * Turns an HTTP request-target into the one path that both the policy matcher and the app behind
 * the sidecar read, or rejects it: decoding, dot segments and slashes are settled here, once, so
 * that no request reaches a route the policy did not allow because the proxy and the app parsed
 * its path differently. The rules, with examples, are in {@code docs/path-normalization.md}.
 *
 * <p>The input is the request-target exactly as received, one {@code char} per octet. A path that
 * is already normal is not copied: without a query it comes back as the same {@code String}
 * instance, with one only the split into path and query allocates. Instances are immutable and
 * thread-safe.
 */
public final class PathNormalizer {

    /** The default bound on a request-target, in characters (RFC 9112 §3 recommends at least 8000). */
    public static final int DEFAULT_MAX_LENGTH = 8 * 1024;

    /** What {@link #normalize} answers. */
    public sealed interface Result permits Normalized, Rejected {
    }

    /**
     * A request-target the app may receive. {@code path} starts with {@code /}, has no empty,
     * {@code .} or {@code ..} segments (a trailing {@code /} is kept), and percent-escapes only
     * what must stay escaped, in upper-case hex. {@code rawQuery} is the text after the first
     * {@code ?}, untouched, or empty when there is none (an empty query is dropped).
     */
    public record Normalized(String path, String rawQuery) implements Result {

        public Normalized {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(rawQuery, "rawQuery");
        }

        /** The request-target to send to the app: the path, and {@code ?query} when there is one. */
        public String requestTarget() {
            return rawQuery.isEmpty() ? path : path + '?' + rawQuery;
        }
    }

    /**
     * A request-target that is answered with {@link Reason#status()} and never forwarded. The
     * detail is for the audit log: it names the offset and the offending escape, never echoes
     * client text beyond a validated escape.
     */
    public record Rejected(Reason reason, String detail) implements Result {

        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Why a request-target was rejected; a stable code for logs and metrics. */
    public enum Reason {
        /** Not origin-form ({@code /path}): empty, absolute-form, authority-form or asterisk-form. */
        NOT_ORIGIN_FORM,
        /** Longer than the configured bound (answered 414). */
        TOO_LONG,
        /** A {@code #}: a fragment is never part of a request-target (RFC 9112 §3.2). */
        FRAGMENT,
        /** A NUL octet, raw or as {@code %00}. */
        NUL,
        /** Another C0 control or DEL, raw anywhere in the target or percent-encoded in the path. */
        CONTROL_CHARACTER,
        /** A space: never valid in a request-target. */
        INVALID_CHARACTER,
        /** An octet outside US-ASCII (clients must percent-encode them, RFC 3986 §2.1). */
        NON_ASCII,
        /** A literal {@code \} in the path (some servers treat it as {@code /}). */
        BACKSLASH,
        /** {@code %2F}: the app would see a different segment structure than the policy. */
        ENCODED_SLASH,
        /** {@code %5C}: an app that maps {@code \} to {@code /} would see another structure. */
        ENCODED_BACKSLASH,
        /** {@code ;} or {@code %3B} in the path: servlet containers strip {@code ;params} from segments. */
        PATH_PARAMETER,
        /** A {@code %} not followed by two hex digits. */
        BAD_PERCENT_ENCODING,
        /** Percent-encoded octets that are not well-formed UTF-8 (overlong {@code %C0%AE} and the like). */
        INVALID_UTF8,
        /** A {@code ..} segment that would climb above the root. */
        ABOVE_ROOT;

        /** The HTTP status the sidecar answers with. */
        public int status() {
            return this == TOO_LONG ? 414 : 400;
        }
    }

    // Character classes of US-ASCII in a path (RFC 3986 §3.3 and the rules above).
    private static final byte KEEP = 0;      // unreserved, sub-delims but ';', ':', '@'
    private static final byte SLASH = 1;
    private static final byte PERCENT = 2;
    private static final byte ENCODE = 3;    // printable, not allowed by RFC 3986: sent as %XX
    private static final byte CONTROL = 4;
    private static final byte NUL_OCTET = 5;
    private static final byte SPACE = 6;
    private static final byte BACKSLASH_OCTET = 7;
    private static final byte SEMICOLON = 8;
    private static final byte HASH = 9;

    private static final byte[] PATH_CLASS = new byte[128];
    private static final boolean[] UNRESERVED = new boolean[128];
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static {
        for (int c = 0; c < 0x20; c++) {
            PATH_CLASS[c] = CONTROL;
        }
        PATH_CLASS[0] = NUL_OCTET;
        PATH_CLASS[0x7F] = CONTROL;
        PATH_CLASS[' '] = SPACE;
        PATH_CLASS['/'] = SLASH;
        PATH_CLASS['%'] = PERCENT;
        PATH_CLASS['\\'] = BACKSLASH_OCTET;
        PATH_CLASS[';'] = SEMICOLON;
        PATH_CLASS['#'] = HASH;
        // '?' never reaches the path scan: the path ends at the first one.
        for (char c : "\"<>[]^`{|}".toCharArray()) {
            PATH_CLASS[c] = ENCODE;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            UNRESERVED[c] = true;
            UNRESERVED[c - 'a' + 'A'] = true;
        }
        for (int c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c : "-._~".toCharArray()) {
            UNRESERVED[c] = true;
        }
    }

    /** The UTF-8 validator's state between sequences: nothing owed, any continuation range. */
    private static final int UTF8_COMPLETE = 0x80 << 8 | 0xBF << 16;

    private final int maxLength;

    /** A normalizer with the {@link #DEFAULT_MAX_LENGTH default} bound. */
    public PathNormalizer() {
        this(DEFAULT_MAX_LENGTH);
    }

    /** A normalizer that rejects request-targets longer than {@code maxLength} characters. */
    public PathNormalizer(int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength: expected at least 1, got " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /** Normalizes a request-target as received on the request line or in HTTP/2's {@code :path}. */
    public Result normalize(String requestTarget) {
        String target = Objects.requireNonNull(requestTarget, "requestTarget");
        int length = target.length();
        if (length > maxLength) {
            return new Rejected(Reason.TOO_LONG, "request-target of " + length + " characters, at most "
                    + maxLength + " allowed");
        }
        if (length == 0 || target.charAt(0) != '/') {
            return new Rejected(Reason.NOT_ORIGIN_FORM, notOriginForm(target));
        }
        int question = target.indexOf('?');
        int pathEnd = question < 0 ? length : question;

        // One pass over the path. `out` stays null while the output equals the input, so a normal
        // path is neither copied nor rebuilt; it is created at the first octet that changes.
        StringBuilder out = null;
        boolean structural = false;   // an empty, "." or ".." segment: needs the second pass
        boolean previousSlash = true; // the loop starts after the leading '/'
        int segmentLength = 0;
        int segmentDots = 0;
        int utf8 = UTF8_COMPLETE;     // where the %-encoded octets are in a UTF-8 sequence
        for (int i = 1; i < pathEnd; i++) {
            char c = target.charAt(i);
            if (c >= 0x80) {
                return new Rejected(Reason.NON_ASCII, "octet 0x" + Integer.toHexString(c).toUpperCase()
                        + " at offset " + i + ": non-ASCII must be percent-encoded");
            }
            byte kind = PATH_CLASS[c];
            if (kind != PERCENT && utf8 != UTF8_COMPLETE) {
                return new Rejected(Reason.INVALID_UTF8, "truncated UTF-8 sequence before offset " + i);
            }
            switch (kind) {
                case KEEP -> {
                    if (out != null) {
                        out.append(c);
                    }
                    segmentLength++;
                    if (c == '.') {
                        segmentDots++;
                    }
                    previousSlash = false;
                }
                case SLASH -> {
                    structural |= previousSlash || isDotSegment(segmentLength, segmentDots);
                    if (out != null) {
                        out.append('/');
                    }
                    segmentLength = 0;
                    segmentDots = 0;
                    previousSlash = true;
                }
                case PERCENT -> {
                    int octet = i + 2 < pathEnd ? hexPair(target.charAt(i + 1), target.charAt(i + 2)) : -1;
                    if (octet < 0) {
                        return new Rejected(Reason.BAD_PERCENT_ENCODING,
                                "'%' at offset " + i + " is not followed by two hex digits");
                    }
                    Rejected forbidden = forbiddenOctet(octet, target, i);
                    if (forbidden != null) {
                        return forbidden;
                    }
                    if (octet >= 0x80) {
                        utf8 = utf8Step(utf8, octet);
                        if (utf8 < 0) {
                            return new Rejected(Reason.INVALID_UTF8, "'" + target.substring(i, i + 3)
                                    + "' at offset " + i + " is not valid UTF-8 here");
                        }
                    } else if (utf8 != UTF8_COMPLETE) {
                        return new Rejected(Reason.INVALID_UTF8, "truncated UTF-8 sequence before offset " + i);
                    }
                    previousSlash = false;
                    if (octet < 0x80 && UNRESERVED[octet]) {
                        // RFC 3986 §6.2.2.2: an escaped unreserved character is that character.
                        // Decoded before dot-segment removal, so ".%2E" is "..".
                        if (out == null) {
                            out = copyOf(target, i, pathEnd);
                        }
                        out.append((char) octet);
                        segmentLength++;
                        if (octet == '.') {
                            segmentDots++;
                        }
                    } else {
                        char high = HEX[octet >> 4];
                        char low = HEX[octet & 0xF];
                        if (out == null && (target.charAt(i + 1) != high || target.charAt(i + 2) != low)) {
                            out = copyOf(target, i, pathEnd);
                        }
                        if (out != null) {
                            out.append('%').append(high).append(low); // §6.2.2.1: upper-case hex
                        }
                        segmentLength += 3;
                    }
                    i += 2;
                }
                case ENCODE -> {
                    // Printable but outside RFC 3986 (browsers send '|', '^', '[', ']' raw): the
                    // escaped form decodes to the same octet in the app, and is unambiguous.
                    if (out == null) {
                        out = copyOf(target, i, pathEnd);
                    }
                    out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    segmentLength += 3;
                    previousSlash = false;
                }
                case CONTROL -> {
                    return new Rejected(Reason.CONTROL_CHARACTER, controlDetail(c, i));
                }
                case NUL_OCTET -> {
                    return new Rejected(Reason.NUL, "NUL at offset " + i);
                }
                case SPACE -> {
                    return new Rejected(Reason.INVALID_CHARACTER, "space at offset " + i);
                }
                case BACKSLASH_OCTET -> {
                    return new Rejected(Reason.BACKSLASH, "'\\' at offset " + i);
                }
                case SEMICOLON -> {
                    return new Rejected(Reason.PATH_PARAMETER, "';' at offset " + i);
                }
                case HASH -> {
                    return new Rejected(Reason.FRAGMENT, "'#' at offset " + i);
                }
                default -> throw new AssertionError("character class " + kind);
            }
        }
        if (utf8 != UTF8_COMPLETE) {
            return new Rejected(Reason.INVALID_UTF8, "truncated UTF-8 sequence at the end of the path");
        }
        structural |= isDotSegment(segmentLength, segmentDots);

        Rejected badQuery = checkQuery(target, question);
        if (badQuery != null) {
            return badQuery;
        }
        String path;
        if (out != null) {
            path = out.toString();
        } else {
            path = question < 0 ? target : target.substring(0, question);
        }
        if (structural) {
            path = removeDotSegments(path);
            if (path == null) {
                return new Rejected(Reason.ABOVE_ROOT, "a '..' segment climbs above the root");
            }
        }
        String rawQuery = question < 0 ? "" : target.substring(question + 1);
        return new Normalized(path, rawQuery);
    }

    /**
     * RFC 3986 §5.2.4 remove_dot_segments for an absolute path, merging empty segments as it goes
     * (Envoy's merge_slashes). Returns null when a ".." would leave the root: RFC 3986 silently
     * clamps it, but a client that sends one is probing, and the app might not clamp the same way.
     */
    private static String removeDotSegments(String path) {
        int length = path.length();
        var out = new StringBuilder(length);
        boolean trailingSlash = false;
        int start = 1;
        while (start <= length) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            boolean last = end == length;
            int n = end - start;
            if (n == 0 || n == 1 && path.charAt(start) == '.') {
                trailingSlash = last; // "/a/." is "/a/" (§5.2.4 step 2B)
            } else if (n == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
                if (out.isEmpty()) {
                    return null;
                }
                out.setLength(out.lastIndexOf("/"));
                trailingSlash = last; // "/a/b/.." is "/a/" (§5.2.4 step 2C)
            } else {
                out.append('/').append(path, start, end);
                trailingSlash = false;
            }
            start = end + 1;
        }
        if (trailingSlash || out.isEmpty()) {
            out.append('/');
        }
        return out.toString();
    }

    /** The query is the app's business and passes untouched, but the whole target must be clean octets. */
    private static Rejected checkQuery(String target, int question) {
        if (question < 0) {
            return null;
        }
        for (int i = question + 1, n = target.length(); i < n; i++) {
            char c = target.charAt(i);
            if (c >= 0x80) {
                return new Rejected(Reason.NON_ASCII, "octet 0x" + Integer.toHexString(c).toUpperCase()
                        + " at offset " + i + " in the query: non-ASCII must be percent-encoded");
            }
            switch (PATH_CLASS[c]) {
                case NUL_OCTET -> {
                    return new Rejected(Reason.NUL, "NUL at offset " + i + " in the query");
                }
                case CONTROL -> {
                    return new Rejected(Reason.CONTROL_CHARACTER, controlDetail(c, i) + " in the query");
                }
                case SPACE -> {
                    return new Rejected(Reason.INVALID_CHARACTER, "space at offset " + i + " in the query");
                }
                case HASH -> {
                    return new Rejected(Reason.FRAGMENT, "'#' at offset " + i + " in the query");
                }
                default -> {
                    // everything else is left as the client sent it
                }
            }
        }
        return null;
    }

    /** The octets that must not appear percent-encoded in a path, or null when the octet is allowed. */
    private static Rejected forbiddenOctet(int octet, String target, int offset) {
        Reason reason = switch (octet) {
            case '/' -> Reason.ENCODED_SLASH;
            case '\\' -> Reason.ENCODED_BACKSLASH;
            case ';' -> Reason.PATH_PARAMETER;
            case 0 -> Reason.NUL;
            default -> octet < 0x20 || octet == 0x7F ? Reason.CONTROL_CHARACTER : null;
        };
        return reason == null ? null : new Rejected(reason,
                "'" + target.substring(offset, offset + 3) + "' at offset " + offset + " must not be percent-encoded");
    }

    /**
     * One step of a UTF-8 validator over octets ≥ 0x80, its state packed in an int so the request
     * path allocates nothing: continuation octets still owed, and the range the next one must fall
     * in. Returns the next state, or -1. Follows RFC 3629 §4 (Unicode Table 3-7), so overlong forms
     * ({@code %C0%AE} is an old way to smuggle '.'), surrogates and code points above U+10FFFF fail.
     */
    private static int utf8Step(int state, int octet) {
        int remaining = state & 0xFF;
        if (remaining > 0) {
            int low = state >>> 8 & 0xFF;
            int high = state >>> 16 & 0xFF;
            return octet < low || octet > high ? -1 : utf8State(remaining - 1, 0x80, 0xBF);
        }
        if (octet >= 0xC2 && octet <= 0xDF) {
            return utf8State(1, 0x80, 0xBF);
        }
        if (octet >= 0xE0 && octet <= 0xEF) {
            return utf8State(2, octet == 0xE0 ? 0xA0 : 0x80, octet == 0xED ? 0x9F : 0xBF);
        }
        if (octet >= 0xF0 && octet <= 0xF4) {
            return utf8State(3, octet == 0xF0 ? 0x90 : 0x80, octet == 0xF4 ? 0x8F : 0xBF);
        }
        return -1; // a continuation octet without a lead, or C0, C1, F5-FF
    }

    private static int utf8State(int remaining, int low, int high) {
        return remaining | low << 8 | high << 16;
    }

    /** Empty segments are caught by the slash that follows a slash; this finds "." and "..". */
    private static boolean isDotSegment(int segmentLength, int segmentDots) {
        return segmentLength == segmentDots && segmentLength >= 1 && segmentLength <= 2; // "." or ".."
    }

    private static StringBuilder copyOf(String target, int upTo, int pathEnd) {
        var out = new StringBuilder(pathEnd + 16);
        out.append(target, 0, upTo);
        return out;
    }

    /** The octet of two hex digits, or -1 when they are not both hex digits. */
    private static int hexPair(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        // Character.digit also accepts non-ASCII digits (fullwidth 'Ａ'); only ASCII is hex here.
        if (h < 0 || l < 0 || high >= 0x80 || low >= 0x80) {
            return -1;
        }
        return h << 4 | l;
    }

    private static String controlDetail(char c, int offset) {
        return "control character 0x" + HEX[c >> 4] + HEX[c & 0xF] + " at offset " + offset;
    }

    private static String notOriginForm(String target) {
        if (target.isEmpty()) {
            return "empty request-target";
        }
        if (target.equals("*")) {
            return "asterisk-form '*' (OPTIONS for the server) is not forwarded";
        }
        int scheme = target.indexOf("://");
        if (scheme > 0 && target.substring(0, scheme).chars().allMatch(
                c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.'))) {
            return "absolute-form is for forward proxies; expected origin-form '/path'";
        }
        return "expected origin-form '/path'";
    }
}
