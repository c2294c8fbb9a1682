package io.scimitar.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A parsed SCIM filter (RFC 7644 §3.4.2.2). Inside a {@link ValuePath} the inner filter's paths
 * are relative to the multi-valued attribute's elements ({@code emails[type eq "work"]} holds
 * a {@link Compare} on {@code type}).
 */
public sealed interface Filter
        permits Filter.Compare, Filter.Present, Filter.And, Filter.Or, Filter.Not, Filter.ValuePath {

    /** {@code path op value}; the value is a JSON string, number, boolean or null. */
    record Compare(AttributePath path, CompareOp op, JsonNode value) implements Filter {
    }

    /** {@code path pr}. */
    record Present(AttributePath path) implements Filter {
    }

    record And(Filter left, Filter right) implements Filter {
    }

    record Or(Filter left, Filter right) implements Filter {
    }

    /** {@code not (inner)}. */
    record Not(Filter inner) implements Filter {
    }

    /** {@code attribute[filter]}, where {@code attribute} has no sub-attribute. */
    record ValuePath(AttributePath attribute, Filter filter) implements Filter {
    }
}
