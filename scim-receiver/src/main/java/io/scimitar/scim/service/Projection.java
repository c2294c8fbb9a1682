package io.scimitar.scim.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.filter.FilterParser;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.AttributeDef;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.schema.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code attributes} / {@code excludedAttributes} of a request (RFC 7644 §3.4.2.5) and the
 * {@code returned} characteristic of each attribute (RFC 7643 §2.4): {@code schemas} and
 * {@code id} always come back, {@code password} never does.
 */
public record Projection(List<AttributePath> attributes, List<AttributePath> excludedAttributes) {

    public static final Projection DEFAULT = new Projection(List.of(), List.of());

    private static final String URN_PREFIX = "urn:";

    public Projection {
        attributes = List.copyOf(attributes);
        excludedAttributes = List.copyOf(excludedAttributes);
    }

    /** Reads the comma-separated query values (or .search body entries); either list may be empty. */
    public static Projection parse(List<String> attributes, List<String> excludedAttributes) {
        List<AttributePath> included = paths(attributes);
        List<AttributePath> excluded = paths(excludedAttributes);
        return included.isEmpty() && excluded.isEmpty() ? DEFAULT : new Projection(included, excluded);
    }

    private static List<AttributePath> paths(List<String> values) {
        List<AttributePath> result = new ArrayList<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                String trimmed = item.strip();
                if (!trimmed.isEmpty()) {
                    result.add(FilterParser.parseAttributePath(trimmed));
                }
            }
        }
        return result;
    }

    /** A copy of this projection that also leaves out {@code path} (unless it was asked for). */
    public Projection excluding(AttributePath path) {
        List<AttributePath> excluded = new ArrayList<>(excludedAttributes);
        excluded.add(path);
        return new Projection(attributes, excluded);
    }

    /** True when the projected resource would contain the group's {@code members}. */
    public boolean includesMembers() {
        if (!attributes.isEmpty()) {
            return attributes.stream().anyMatch(p -> names(p, Schemas.GROUP, "members"));
        }
        return excludedAttributes.stream().noneMatch(p -> names(p, Schemas.GROUP, "members") && p.sub().isEmpty());
    }

    /** A copy of {@code resource} with only the attributes this projection returns. */
    public ObjectNode apply(ResourceType type, ObjectNode resource) {
        ObjectNode out = Json.object();
        for (Map.Entry<String, JsonNode> field : resource.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.regionMatches(true, 0, URN_PREFIX, 0, URN_PREFIX.length()) && value.isObject()) {
                ObjectNode extension = Json.object();
                for (Map.Entry<String, JsonNode> inner : value.properties()) {
                    project(type, key, inner.getKey(), inner.getValue(), extension);
                }
                if (!extension.isEmpty()) {
                    out.set(key, extension);
                }
            } else {
                project(type, type.core().id(), key, value, out);
            }
        }
        return out;
    }

    private void project(ResourceType type, String urn, String name, JsonNode value, ObjectNode out) {
        Optional<AttributeDef> def = urn.equalsIgnoreCase(type.core().id())
                ? type.attribute("", name)
                : type.attribute(urn, name);
        AttributeDef.Returned returned = def.map(AttributeDef::returned).orElse(AttributeDef.Returned.DEFAULT);
        if (returned == AttributeDef.Returned.NEVER) {
            return;
        }
        if (name.equals("schemas") || returned == AttributeDef.Returned.ALWAYS) {
            out.set(name, value.deepCopy());
            return;
        }
        if (!attributes.isEmpty()) {
            List<String> subs = new ArrayList<>();
            boolean whole = false;
            for (AttributePath path : attributes) {
                if (selectsWholeExtension(path, urn) || (names(path, urn, name) && path.sub().isEmpty())) {
                    whole = true;
                } else if (names(path, urn, name)) {
                    subs.add(path.subAttribute());
                }
            }
            if (whole) {
                out.set(name, value.deepCopy());
            } else if (!subs.isEmpty()) {
                JsonNode kept = keepSubAttributes(value, subs);
                if (kept != null) {
                    out.set(name, kept);
                }
            }
            return;
        }
        if (returned == AttributeDef.Returned.REQUEST) {
            return;
        }
        List<String> excludedSubs = new ArrayList<>();
        for (AttributePath path : excludedAttributes) {
            if (selectsWholeExtension(path, urn) || (names(path, urn, name) && path.sub().isEmpty())) {
                return;
            }
            if (names(path, urn, name)) {
                excludedSubs.add(path.subAttribute());
            }
        }
        JsonNode kept = excludedSubs.isEmpty() ? value.deepCopy() : dropSubAttributes(value, excludedSubs);
        if (!kept.isContainerNode() || !kept.isEmpty()) {
            // Excluding every sub-attribute of a complex attribute leaves nothing worth returning.
            out.set(name, kept);
        }
    }

    /** True when {@code path} names attribute {@code name} of the schema {@code urn}. */
    private static boolean names(AttributePath path, String urn, String name) {
        if (!path.attribute().equalsIgnoreCase(name)) {
            return false;
        }
        // A path without URN means the core schema, or an extension whose attribute the client left unqualified.
        return !path.hasUrn() || path.urn().equalsIgnoreCase(urn);
    }

    /** {@code urn:...:enterprise:2.0:User} as a path parses as URN {@code ...:2.0} and attribute {@code User}. */
    private static boolean selectsWholeExtension(AttributePath path, String urn) {
        String whole = path.hasUrn() ? path.urn() + ":" + path.attribute() : path.attribute();
        return path.sub().isEmpty() && whole.equalsIgnoreCase(urn) && !urn.isEmpty()
                && !urn.equalsIgnoreCase(Schemas.USER) && !urn.equalsIgnoreCase(Schemas.GROUP);
    }

    private static JsonNode keepSubAttributes(JsonNode value, List<String> subs) {
        if (value.isArray()) {
            ArrayNode out = Json.array();
            for (JsonNode element : value) {
                JsonNode kept = keepSubAttributes(element, subs);
                if (kept != null) {
                    out.add(kept);
                }
            }
            return out.isEmpty() ? null : out;
        }
        if (!value.isObject()) {
            return null;
        }
        ObjectNode out = Json.object();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            if (subs.stream().anyMatch(s -> s.equalsIgnoreCase(field.getKey()))) {
                out.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static JsonNode dropSubAttributes(JsonNode value, List<String> subs) {
        if (value.isArray()) {
            ArrayNode out = Json.array();
            value.forEach(element -> out.add(dropSubAttributes(element, subs)));
            return out;
        }
        if (!value.isObject()) {
            return value.deepCopy();
        }
        ObjectNode out = Json.object();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            if (subs.stream().noneMatch(s -> s.equalsIgnoreCase(field.getKey()))) {
                out.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return out;
    }
}
