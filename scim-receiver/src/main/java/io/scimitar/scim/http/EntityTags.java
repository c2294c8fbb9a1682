package io.scimitar.scim.http;

/** Entity-tag comparison for {@code If-None-Match} (RFC 9110 §8.8.3.2, §13.1.2). */
final class EntityTags {

    private EntityTags() {
    }

    /**
     * True when the header is {@code *} or lists a tag equal to {@code etag} under the weak
     * comparison ({@code W/} prefixes ignored), as If-None-Match requires.
     */
    static boolean matchesWeakly(String header, String etag) {
        String current = opaque(etag);
        for (String candidate : header.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || (!tag.isEmpty() && opaque(tag).equals(current))) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") || tag.startsWith("w/") ? tag.substring(2) : tag;
    }
}
