package io.scimitar.scim.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A SCIM schema (RFC 7643 §7): a URN and its top-level attributes, looked up case-insensitively. */
public record Schema(String id, String name, String description, List<AttributeDef> attributes) {

    public Schema {
        attributes = List.copyOf(attributes);
    }

    /** The top-level attribute with this name, compared case-insensitively. */
    public Optional<AttributeDef> attribute(String attributeName) {
        for (AttributeDef def : attributes) {
            if (def.name().equalsIgnoreCase(attributeName)) {
                return Optional.of(def);
            }
        }
        return Optional.empty();
    }

    /** Attributes keyed by lower-cased name, in schema order. */
    public Map<String, AttributeDef> byKey() {
        Map<String, AttributeDef> map = new LinkedHashMap<>();
        attributes.forEach(a -> map.put(a.key(), a));
        return map;
    }
}
