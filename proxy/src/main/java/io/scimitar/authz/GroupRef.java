package io.scimitar.authz;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A reference from a policy role to a SCIM group: by {@code displayName} (the default), by SCIM
 * {@code id}, or by {@code externalId}. The membership index resolves it against the directory.
 */
public sealed interface GroupRef permits GroupRef.ByDisplayName, GroupRef.ById, GroupRef.ByExternalId {

    /** The reference as written in a policy: {@code eng}, {@code id:2819c223}, {@code externalId:00g1}. */
    String text();

    /**
     * Parses a reference as written in a policy: {@code id:<scim id>}, {@code externalId:<id>},
     * {@code displayName:<name>} or a plain displayName. The kinds are case-sensitive, and a prefix
     * that differs from one only in case ({@code ID:x}) is refused rather than read as a displayName.
     *
     * @throws IllegalArgumentException with what was expected
     */
    static GroupRef parse(String text) {
        int colon = text.indexOf(':');
        String kind = colon < 0 ? "" : text.substring(0, colon);
        String value = colon < 0 ? text : text.substring(colon + 1);
        GroupRef ref;
        switch (kind) {
            case "id" -> ref = new ById(value);
            case "externalId" -> ref = new ByExternalId(value);
            case "displayName" -> ref = new ByDisplayName(value);
            default -> {
                for (String known : KINDS) {
                    if (known.equalsIgnoreCase(kind)) {
                        throw new IllegalArgumentException("\"" + kind + ":\" is not a reference kind; expected \""
                                + known + ":\" (kinds are case-sensitive)");
                    }
                }
                value = text;
                ref = new ByDisplayName(text);
            }
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(ref instanceof ByDisplayName && colon < 0 ? "expected a group name"
                    : "expected a value after \"" + kind + ":\"");
        }
        if (!value.equals(value.strip())) {
            throw new IllegalArgumentException("expected no leading or trailing spaces");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("expected no control characters");
        }
        return ref;
    }

    /** The reference kinds, as written before the colon. */
    List<String> KINDS = List.of("id", "externalId", "displayName");

    /**
     * A group named by its {@code displayName}, which RFC 7643 §8.7.1 declares {@code caseExact: false}:
     * equality and {@link #folded()} ignore case the way the receiver's displayName index does
     * ({@code toLowerCase(Locale.ROOT)}), so the two sides agree on which group is meant.
     */
    record ByDisplayName(String displayName, String folded) implements GroupRef {

        public ByDisplayName {
            Objects.requireNonNull(displayName, "displayName");
            if (!displayName.toLowerCase(Locale.ROOT).equals(folded)) {
                throw new IllegalArgumentException("folded must be displayName.toLowerCase(Locale.ROOT)");
            }
        }

        public ByDisplayName(String displayName) {
            this(displayName, displayName.toLowerCase(Locale.ROOT));
        }

        @Override
        public String text() {
            // A displayName that itself starts with a reference kind needs the explicit prefix to round-trip.
            int colon = displayName.indexOf(':');
            boolean looksLikeKind = colon >= 0 && KINDS.stream()
                    .anyMatch(kind -> kind.equalsIgnoreCase(displayName.substring(0, colon)));
            return looksLikeKind ? "displayName:" + displayName : displayName;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByDisplayName other && folded.equals(other.folded);
        }

        @Override
        public int hashCode() {
            return folded.hashCode();
        }
    }

    /** A group named by its SCIM {@code id}, which is case-sensitive (RFC 7643 §3.1). */
    record ById(String id) implements GroupRef {

        public ById {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String text() {
            return "id:" + id;
        }
    }

    /** A group named by the IdP's {@code externalId}, compared exactly (RFC 7643 §3.1: caseExact). */
    record ByExternalId(String externalId) implements GroupRef {

        public ByExternalId {
            Objects.requireNonNull(externalId, "externalId");
        }

        @Override
        public String text() {
            return "externalId:" + externalId;
        }
    }
}
