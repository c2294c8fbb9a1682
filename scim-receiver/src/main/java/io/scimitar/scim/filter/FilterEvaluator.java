package io.scimitar.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.schema.ResourceType;

/**
 * Evaluates a {@link Filter} against a resource's JSON, honouring the schema: attribute names
 * are matched case-insensitively, string comparisons honour {@code caseExact}, dateTime values
 * compare as instants, and a comparison on a multi-valued attribute matches when any element does.
 */
public final class FilterEvaluator {

    private final ResourceType type;

    public FilterEvaluator(ResourceType type) {
        this.type = type;
    }

    /** True when the resource matches the filter. */
    public boolean matches(Filter filter, ObjectNode resource) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * True when one element of the multi-valued attribute {@code attribute} matches {@code filter},
     * whose paths are relative to the element (the inside of a value path).
     */
    public boolean matchesElement(AttributePath attribute, Filter filter, JsonNode element) {
        throw new UnsupportedOperationException("TODO");
    }
}
