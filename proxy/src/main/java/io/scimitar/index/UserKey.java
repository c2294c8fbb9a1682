package io.scimitar.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The SCIM attribute a token's user claim is matched against ({@code SCIMITAR_AUTH_USER_ATTRIBUTE}).
 * {@code userName} and {@code emails} compare case-insensitively (RFC 7643 §4.1.1 and §4.1.2 declare
 * them caseExact=false); {@code externalId} and {@code id} are caseExact.
 */
public enum UserKey {
    USER_NAME("userName", false),
    EXTERNAL_ID("externalId", true),
    /** Any value of the multi-valued {@code emails}, not only the primary one. */
    EMAILS("emails", false),
    ID("id", true);

    private static final String[] NONE = new String[0];

    private final String attribute;
    private final boolean caseExact;

    UserKey(String attribute, boolean caseExact) {
        this.attribute = attribute;
        this.caseExact = caseExact;
    }

    /** The SCIM attribute name, as written in the configuration. */
    public String attribute() {
        return attribute;
    }

    /** The key for a configured attribute name (SCIM attribute names are case-insensitive, RFC 7643 §2.1). */
    public static UserKey forAttribute(String attribute) {
        for (UserKey key : values()) {
            if (key.attribute.equalsIgnoreCase(attribute.strip())) {
                return key;
            }
        }
        throw new IllegalArgumentException("unknown user attribute \"" + attribute + "\": expected one of "
                + Arrays.stream(values()).map(UserKey::attribute).toList());
    }

    /**
     * The form a claim value is looked up in. Lower-casing uses {@link Locale#ROOT}, as the receiver's
     * userName uniqueness does, so both sides agree on which names are equal; {@code toLowerCase}
     * returns the same instance when nothing changes, so an already lower-case claim (the usual
     * email) costs no allocation.
     */
    String normalize(String claimValue) {
        return caseExact ? claimValue : claimValue.toLowerCase(Locale.ROOT);
    }

    /** The normalized, distinct key values of a stored user; none for {@link #ID}, whose map is the id map. */
    String[] keysOf(ObjectNode user) {
        return switch (this) {
            case USER_NAME, EXTERNAL_ID -> {
                JsonNode value = user.get(attribute);
                yield value != null && value.isTextual() ? new String[] {normalize(value.textValue())} : NONE;
            }
            case EMAILS -> {
                Set<String> emails = new LinkedHashSet<>();
                for (JsonNode email : user.path("emails")) {
                    JsonNode value = email.get("value");
                    if (value != null && value.isTextual()) {
                        emails.add(normalize(value.textValue()));
                    }
                }
                yield emails.isEmpty() ? NONE : emails.toArray(String[]::new);
            }
            case ID -> NONE;
        };
    }
}
