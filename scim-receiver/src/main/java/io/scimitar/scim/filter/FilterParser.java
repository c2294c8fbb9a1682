package io.scimitar.scim.filter;

import io.scimitar.scim.error.ScimException;

/**
 * Parses the filter grammar of RFC 7644 §3.4.2.2 into a {@link Filter} tree, and PATCH paths
 * (§3.5.2) into a {@link PatchPath}. Errors are {@link ScimException#invalidFilter} (for filters)
 * or {@link ScimException#invalidPath} (for PATCH paths) naming the position and what was expected.
 */
public final class FilterParser {

    private FilterParser() {
    }

    /** Parses a filter expression, e.g. {@code userName eq "bjensen" and not (emails co "x")}. */
    public static Filter parse(String filter) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Parses a PATCH operation path, e.g. {@code emails[type eq "work"].value}. */
    public static PatchPath parsePatchPath(String path) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Parses an attribute path, e.g. {@code name.givenName} or a URN-qualified one; used by sortBy and attributes. */
    public static AttributePath parseAttributePath(String path) {
        throw new UnsupportedOperationException("TODO");
    }
}
