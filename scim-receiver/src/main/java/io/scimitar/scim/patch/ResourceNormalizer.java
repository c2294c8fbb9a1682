package io.scimitar.scim.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.schema.ResourceType;

/**
 * Validates a client-supplied resource against its schema and brings it to canonical form:
 * attribute names in schema case, booleans sent as strings ("False") as booleans, read-only
 * attributes ({@code id}, {@code meta}, {@code groups}) and {@code password} dropped, unknown
 * extension attributes kept as sent. Type errors are {@code invalidValue}; a missing required
 * attribute is {@code invalidValue}; a {@code schemas} list naming an unknown schema is {@code invalidSyntax}.
 */
public final class ResourceNormalizer {

    private final ResourceType type;

    public ResourceNormalizer(ResourceType type) {
        this.type = type;
    }

    /**
     * Returns the canonical resource. For groups the returned object has no {@code members};
     * {@link #members(ObjectNode)} reads them from the same input.
     */
    public ObjectNode normalize(ObjectNode input) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The member ids of a group body (POST/PUT), validated; empty for users. */
    public java.util.Set<String> members(ObjectNode input) {
        throw new UnsupportedOperationException("TODO");
    }
}
