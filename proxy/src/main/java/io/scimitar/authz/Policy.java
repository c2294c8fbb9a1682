package io.scimitar.authz;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated, compiled policy: its roles, its routes and the {@link RouteTable} they compile to.
 * Immutable; a reload builds a new one and swaps it in whole.
 *
 * @param source where it was read from, for messages and {@code /explain}
 * @param digest the SHA-256 of the file's bytes, in hex, to tell versions apart in logs and audit
 * @param roles each role name with its group references, in file order
 * @param table the compiled routes
 */
public record Policy(String source, String digest, Map<String, List<GroupRef>> roles, RouteTable table) {

    public Policy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(table, "table");
        Map<String, List<GroupRef>> copy = new LinkedHashMap<>();
        roles.forEach((name, groups) -> copy.put(name, List.copyOf(groups)));
        roles = Collections.unmodifiableMap(copy);
    }

    /** The routes in file order. */
    public List<Route> routes() {
        return table.routes();
    }

    /** The first route that matches, or empty (deny); see {@link RouteTable#match}. */
    public Optional<Route> match(String method, String normalizedPath) {
        return table.match(method, normalizedPath);
    }

    /** The first 12 hex digits of the digest, enough to name a version in a log line. */
    public String shortDigest() {
        return digest.substring(0, Math.min(12, digest.length()));
    }
}
