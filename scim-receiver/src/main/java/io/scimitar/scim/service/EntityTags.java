package io.scimitar.scim.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import java.util.Optional;

/**
 * Entity tags of stored resources ({@code W/"<directory version of the last write>"}) and their
 * comparison for {@code If-Match} and {@code If-None-Match}. Comparison is weak (RFC 9110 §8.8.3.2,
 * {@code W/} prefixes ignored) for both, because SCIM's ETags are weak (RFC 7644 §3.14) and
 * clients send them back as they got them.
 */
public final class EntityTags {

    private EntityTags() {
    }

    /**
     * True when the header is {@code *} or lists a tag equal to {@code etag} under the weak
     * comparison.
     */
    public static boolean matchesWeakly(String header, String etag) {
        String current = opaque(etag);
        for (String candidate : header.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || (!tag.isEmpty() && opaque(tag).equals(current))) {
                return true;
            }
        }
        return false;
    }

    /** Refuses a write whose {@code If-Match} does not match the current resource: 412. */
    static void check(Optional<String> ifMatch, ObjectNode current) {
        if (ifMatch.isPresent()) {
            String etag = current.path("meta").path("version").asText();
            if (!matchesWeakly(ifMatch.get(), etag)) {
                throw ScimException.preconditionFailed("If-Match " + ifMatch.get().strip()
                        + " does not match the current version " + etag);
            }
        }
    }

    /** The version number in a stored resource's {@code meta.version}. */
    static long version(ObjectNode stored) {
        String tag = opaque(stored.path("meta").path("version").asText());
        try {
            return Long.parseLong(tag.replace("\"", ""));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("stored resource without a version: " + tag, e);
        }
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") || tag.startsWith("w/") ? tag.substring(2) : tag;
    }
}
