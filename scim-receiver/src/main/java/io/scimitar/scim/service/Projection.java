package io.scimitar.scim.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.schema.ResourceType;
import java.util.List;

/**
 * The {@code attributes} / {@code excludedAttributes} of a request (RFC 7644 §3.4.2.5) and the
 * {@code returned} characteristic of each attribute (always, never, default, request).
 */
public record Projection(List<AttributePath> attributes, List<AttributePath> excludedAttributes) {

    public static final Projection DEFAULT = new Projection(List.of(), List.of());

    public Projection {
        attributes = List.copyOf(attributes);
        excludedAttributes = List.copyOf(excludedAttributes);
    }

    /** True when the projected resource would contain the group's {@code members}. */
    public boolean includesMembers() {
        throw new UnsupportedOperationException("TODO");
    }

    /** A copy of {@code resource} with only the attributes this projection returns. */
    public ObjectNode apply(ResourceType type, ObjectNode resource) {
        throw new UnsupportedOperationException("TODO");
    }
}
