package io.scimitar.scim.schema;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One attribute of a SCIM schema (RFC 7643 §2.2, §7): its type and the characteristics that the
 * filter, PATCH and projection engines honour.
 */
public record AttributeDef(
        String name,
        Type type,
        boolean multiValued,
        boolean required,
        boolean caseExact,
        Mutability mutability,
        Returned returned,
        Uniqueness uniqueness,
        List<AttributeDef> subAttributes,
        List<String> canonicalValues,
        List<String> referenceTypes,
        String description) {

    public enum Type {
        STRING("string"), BOOLEAN("boolean"), DECIMAL("decimal"), INTEGER("integer"),
        DATE_TIME("dateTime"), BINARY("binary"), REFERENCE("reference"), COMPLEX("complex");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public enum Mutability {
        READ_ONLY("readOnly"), READ_WRITE("readWrite"), IMMUTABLE("immutable"), WRITE_ONLY("writeOnly");

        private final String wireName;

        Mutability(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public enum Returned {
        ALWAYS("always"), NEVER("never"), DEFAULT("default"), REQUEST("request");

        private final String wireName;

        Returned(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public enum Uniqueness {
        NONE("none"), SERVER("server"), GLOBAL("global");

        private final String wireName;

        Uniqueness(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public AttributeDef {
        subAttributes = List.copyOf(subAttributes);
        canonicalValues = List.copyOf(canonicalValues);
        referenceTypes = List.copyOf(referenceTypes);
    }

    /** The sub-attribute with this name, compared case-insensitively (RFC 7643 §2.1). */
    public Optional<AttributeDef> subAttribute(String subName) {
        for (AttributeDef sub : subAttributes) {
            if (sub.name.equalsIgnoreCase(subName)) {
                return Optional.of(sub);
            }
        }
        return Optional.empty();
    }

    public boolean isComplex() {
        return type == Type.COMPLEX;
    }

    /** Lower-cased name, the key under which attributes are looked up. */
    public String key() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Starts a definition with the RFC 7643 §2.2 defaults: single-valued, optional, readWrite, default. */
    public static Builder builder(String name, Type type) {
        return new Builder(name, type);
    }

    /** Builder whose defaults are those of RFC 7643 §2.2. */
    public static final class Builder {
        private final String name;
        private final Type type;
        private boolean multiValued;
        private boolean required;
        private boolean caseExact;
        private Mutability mutability = Mutability.READ_WRITE;
        private Returned returned = Returned.DEFAULT;
        private Uniqueness uniqueness = Uniqueness.NONE;
        private List<AttributeDef> subAttributes = List.of();
        private List<String> canonicalValues = List.of();
        private List<String> referenceTypes = List.of();
        private String description = "";

        private Builder(String name, Type type) {
            this.name = name;
            this.type = type;
        }

        public Builder multiValued() {
            this.multiValued = true;
            return this;
        }

        public Builder required() {
            this.required = true;
            return this;
        }

        public Builder caseExact() {
            this.caseExact = true;
            return this;
        }

        public Builder mutability(Mutability value) {
            this.mutability = value;
            return this;
        }

        public Builder returned(Returned value) {
            this.returned = value;
            return this;
        }

        public Builder uniqueness(Uniqueness value) {
            this.uniqueness = value;
            return this;
        }

        public Builder subAttributes(AttributeDef... values) {
            this.subAttributes = List.of(values);
            return this;
        }

        public Builder canonicalValues(String... values) {
            this.canonicalValues = List.of(values);
            return this;
        }

        public Builder referenceTypes(String... values) {
            this.referenceTypes = List.of(values);
            return this;
        }

        public Builder description(String value) {
            this.description = value;
            return this;
        }

        public AttributeDef build() {
            return new AttributeDef(name, type, multiValued, required, caseExact, mutability, returned,
                    uniqueness, subAttributes, canonicalValues, referenceTypes, description);
        }
    }
}
