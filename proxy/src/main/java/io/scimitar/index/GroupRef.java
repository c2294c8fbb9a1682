package io.scimitar.index;

import java.util.Locale;
import java.util.Objects;

/**
 * How a policy names a SCIM group: by {@code displayName} (case-insensitive, the default form),
 * {@code id:<scim id>} or {@code externalId:<id>}. The index resolves a reference to a group
 * ordinal once per directory version.
 */
public record GroupRef(Kind kind, String value) {

    public enum Kind {
        DISPLAY_NAME, ID, EXTERNAL_ID
    }

    public GroupRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a group reference needs a non-empty " + kind + " value");
        }
    }

    public static GroupRef displayName(String displayName) {
        return new GroupRef(Kind.DISPLAY_NAME, displayName);
    }

    public static GroupRef id(String id) {
        return new GroupRef(Kind.ID, id);
    }

    public static GroupRef externalId(String externalId) {
        return new GroupRef(Kind.EXTERNAL_ID, externalId);
    }

    /** Parses the policy form: {@code id:…}, {@code externalId:…}, otherwise a displayName. */
    public static GroupRef parse(String text) {
        if (text.startsWith("id:")) {
            return id(text.substring(3));
        }
        if (text.startsWith("externalId:")) {
            return externalId(text.substring("externalId:".length()));
        }
        return displayName(text);
    }

    /** The key under which the index files this reference's groups. */
    String indexKey() {
        return kind == Kind.DISPLAY_NAME ? value.toLowerCase(Locale.ROOT) : value;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DISPLAY_NAME -> value;
            case ID -> "id:" + value;
            case EXTERNAL_ID -> "externalId:" + value;
        };
    }
}
