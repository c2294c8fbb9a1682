package io.scimitar.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A route's path pattern, parsed and checked: literal segments, {@code *} for exactly one segment
 * and a final {@code **} for any number of remaining segments (zero included).
 *
 * <p>Patterns are compared with the request path after normalization (issue 3: unreserved
 * characters decoded, dot segments removed, slashes merged), character for character. A pattern
 * that no normalized path can ever equal, such as one with {@code ..}, {@code %41} or {@code %2F},
 * is refused here rather than left to deny silently.
 *
 * @param text the pattern as written
 * @param segments the segments before any final {@code **}; {@code "*"} is the one-segment wildcard
 * @param rest whether the pattern ends in {@code **}
 */
record PathPattern(String text, List<String> segments, boolean rest) {

    static final String ONE = "*";
    static final String REST = "**";

    PathPattern {
        segments = List.copyOf(segments);
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException naming what is wrong and what was expected
     */
    static PathPattern parse(String text) {
        if (text.isEmpty() || text.charAt(0) != '/') {
            throw new IllegalArgumentException("expected a path starting with '/'");
        }
        if (text.equals("/")) {
            return new PathPattern(text, List.of(), false);
        }
        if (text.endsWith("/")) {
            throw new IllegalArgumentException("expected no trailing '/' (a request's trailing slash is ignored when"
                    + " matching, so write " + text.substring(0, text.length() - 1) + ")");
        }
        List<String> segments = new ArrayList<>();
        boolean rest = false;
        int start = 1;
        while (start <= text.length()) {
            int end = text.indexOf('/', start);
            if (end < 0) {
                end = text.length();
            }
            String segment = text.substring(start, end);
            if (rest) {
                throw new IllegalArgumentException("expected '**' only as the last segment");
            }
            if (segment.equals(REST)) {
                rest = true;
            } else {
                checkSegment(segment, start);
                segments.add(segment);
            }
            start = end + 1;
        }
        return new PathPattern(text, segments, rest);
    }

    private static void checkSegment(String segment, int offset) {
        if (segment.isEmpty()) {
            throw new IllegalArgumentException("expected no empty segment ('//'): request paths have merged slashes");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("expected no '" + segment + "' segment: request paths have dot"
                    + " segments removed (RFC 3986 §5.2.4), so it could never match");
        }
        if (segment.equals(ONE)) {
            return;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            int column = offset + i + 1;
            if (c == '*') {
                throw new IllegalArgumentException("expected '*' only as a whole segment ('*' for one segment, a"
                        + " final '**' for the rest), found it inside \"" + segment + "\"");
            }
            if (c == '%') {
                checkPercent(segment, i, column);
                i += 2;
            } else if (!isPchar(c)) {
                throw new IllegalArgumentException("expected only RFC 3986 path characters (pchar), found "
                        + describe(segment.codePointAt(i)) + " at column " + column + "; percent-encode it"
                        + (c == '?' || c == '#' ? " (a pattern matches the path only, without query or fragment)" : ""));
            }
        }
    }

    private static void checkPercent(String segment, int i, int column) {
        if (i + 2 >= segment.length() || !isHex(segment.charAt(i + 1)) || !isHex(segment.charAt(i + 2))) {
            throw new IllegalArgumentException("expected two hex digits after '%' at column " + column);
        }
        char high = segment.charAt(i + 1);
        char low = segment.charAt(i + 2);
        String encoding = segment.substring(i, i + 3);
        if (Character.isLowerCase(high) || Character.isLowerCase(low)) {
            throw new IllegalArgumentException("expected upper-case hex in \"" + encoding + "\": normalized paths"
                    + " have " + encoding.toUpperCase(Locale.ROOT) + " (RFC 3986 §6.2.2.1)");
        }
        int value = Character.digit(high, 16) * 16 + Character.digit(low, 16);
        if (value == '/' || value == '\\' || value == 0) {
            throw new IllegalArgumentException("\"" + encoding + "\" can never match: requests with an encoded '/',"
                    + " '\\' or NUL are refused before matching");
        }
        if (isUnreserved((char) value)) {
            throw new IllegalArgumentException("expected '" + (char) value + "' instead of \"" + encoding
                    + "\": normalized paths carry unreserved characters decoded (RFC 3986 §6.2.2.2)");
        }
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    }

    /** RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@" (pct-encoded handled apart). */
    private static boolean isPchar(char c) {
        return isUnreserved(c) || "!$&'()*+,;=:@".indexOf(c) >= 0;
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static String describe(int codePoint) {
        if (codePoint < 0x20 || codePoint == 0x7f) {
            return String.format("control character U+%04X", codePoint);
        }
        if (codePoint == ' ') {
            return "a space";
        }
        String shown = "'" + Character.toString(codePoint) + "'";
        return codePoint < 0x80 ? shown : shown + String.format(" (U+%04X)", codePoint);
    }

    @Override
    public String toString() {
        return text;
    }
}
