package io.scimitar.scim.filter;

import java.util.Optional;

/**
 * An attribute reference (RFC 7644 §3.10): an optional schema URN, an attribute name and an
 * optional sub-attribute, e.g. {@code urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value}.
 * Names keep the case the client wrote; every comparison is case-insensitive.
 *
 * @param urn          the schema URN, or the empty string when none was written
 * @param attribute    the top-level attribute name
 * @param subAttribute the sub-attribute name, or the empty string
 */
public record AttributePath(String urn, String attribute, String subAttribute) {

    public AttributePath {
        urn = urn == null ? "" : urn;
        subAttribute = subAttribute == null ? "" : subAttribute;
    }

    public static AttributePath of(String attribute) {
        return new AttributePath("", attribute, "");
    }

    public static AttributePath of(String attribute, String subAttribute) {
        return new AttributePath("", attribute, subAttribute);
    }

    public Optional<String> sub() {
        return subAttribute.isEmpty() ? Optional.empty() : Optional.of(subAttribute);
    }

    public boolean hasUrn() {
        return !urn.isEmpty();
    }

    /** The same path without its sub-attribute. */
    public AttributePath parent() {
        return new AttributePath(urn, attribute, "");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!urn.isEmpty()) {
            sb.append(urn).append(':');
        }
        sb.append(attribute);
        if (!subAttribute.isEmpty()) {
            sb.append('.').append(subAttribute);
        }
        return sb.toString();
    }
}
