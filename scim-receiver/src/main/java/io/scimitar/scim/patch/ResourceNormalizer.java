package io.scimitar.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.AttributeDef;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.schema.Schema;
import io.scimitar.scim.schema.Schemas;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a client-supplied resource against its schema and brings it to canonical form:
 * attribute names in schema case, booleans sent as strings ("False") as booleans, read-only
 * attributes ({@code id}, {@code meta}, {@code groups}) and {@code password} dropped, unknown
 * extension attributes kept as sent. Type errors are {@code invalidValue}; a missing required
 * attribute is {@code invalidValue}; a {@code schemas} list naming another resource type's schema
 * is {@code invalidSyntax}. The result is a fixed point: normalising it again changes nothing.
 */
public final class ResourceNormalizer {

    private static final String URN_PREFIX = "urn:";
    private static final String API_MESSAGES = "urn:ietf:params:scim:api:messages:";

    private final ResourceType type;

    public ResourceNormalizer(ResourceType type) {
        this.type = type;
    }

    /**
     * Returns the canonical resource. For groups the returned object has no {@code members};
     * {@link #members(ObjectNode)} reads them from the same input.
     */
    public ObjectNode normalize(ObjectNode input) {
        List<String> listed = listedSchemas(input);
        Map<AttributeDef, JsonNode> core = new LinkedHashMap<>();
        Map<Schema, Map<AttributeDef, JsonNode>> extensions = new LinkedHashMap<>();
        Map<String, JsonNode> unknown = new LinkedHashMap<>();

        Iterator<Map.Entry<String, JsonNode>> fields = input.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equalsIgnoreCase("schemas")) {
                continue;
            }
            Optional<Schema> extension = type.extension(name);
            if (extension.isPresent()) {
                readExtension(extension.get(), value, extensions);
            } else if (name.regionMatches(true, 0, URN_PREFIX, 0, URN_PREFIX.length())) {
                readQualified(name, value, core, extensions, unknown);
            } else {
                type.coreAttribute(name).ifPresent(def -> put(core, def, value, name));
            }
        }
        checkRequired(core);

        ObjectNode out = Json.object();
        ArrayNode schemas = out.putArray("schemas");
        schemas.add(type.core().id());
        for (AttributeDef def : Schemas.COMMON) {
            copy(core, def, out);
        }
        for (AttributeDef def : type.core().attributes()) {
            copy(core, def, out);
        }
        for (Schema ext : type.extensions()) {
            Map<AttributeDef, JsonNode> values = extensions.get(ext);
            if (values == null || values.isEmpty()) {
                continue;
            }
            ObjectNode object = out.putObject(ext.id());
            for (AttributeDef def : ext.attributes()) {
                copy(values, def, object);
            }
            schemas.add(ext.id());
        }
        for (Map.Entry<String, JsonNode> entry : unknown.entrySet()) {
            // Unknown extensions are kept as sent (an IdP's custom schema); their URN stays listed if it was.
            out.set(entry.getKey(), entry.getValue().deepCopy());
            if (listed.stream().anyMatch(s -> s.equalsIgnoreCase(entry.getKey()))) {
                schemas.add(entry.getKey());
            }
        }
        return out;
    }

    /** The member ids of a group body (POST/PUT), validated; empty for users. */
    public Set<String> members(ObjectNode input) {
        if (type != ResourceType.GROUP) {
            return Set.of();
        }
        Optional<JsonNode> value = Json.property(input, "members").map(Map.Entry::getValue);
        if (value.isEmpty() || value.get().isNull()) {
            return Set.of();
        }
        return Collections.unmodifiableSet(memberElements(value.get(), "members").keySet());
    }

    /**
     * The members named by a {@code members} value, by id, each as {@code {"value","display","type"}}:
     * every element must be an object with a non-blank string {@code value}; duplicates collapse.
     */
    static Map<String, ObjectNode> memberElements(JsonNode value, String label) {
        Map<String, ObjectNode> members = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            throw ScimException.invalidValue(label + ": a list of {\"value\": \"<member id>\"} is required");
        }
        JsonNode array = value.isArray() ? value : Json.array().add(value);
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            Optional<JsonNode> id = element.isObject()
                    ? Json.property(element, "value").map(Map.Entry::getValue)
                    : Optional.empty();
            if (id.isEmpty() || !id.get().isTextual() || id.get().asText().isBlank()) {
                throw ScimException.invalidValue(label + "[" + i + "]: each member needs a string \"value\" (the member's id)");
            }
            ObjectNode member = Json.object().put("value", id.get().asText());
            Json.property(element, "display").filter(e -> e.getValue().isTextual())
                    .ifPresent(e -> member.set("display", e.getValue()));
            Json.property(element, "type").filter(e -> e.getValue().isTextual())
                    .ifPresent(e -> member.set("type", e.getValue()));
            members.putIfAbsent(id.get().asText(), member);
        }
        return members;
    }

    private List<String> listedSchemas(ObjectNode input) {
        JsonNode schemas = Json.property(input, "schemas").map(Map.Entry::getValue).orElse(null);
        if (schemas == null || schemas.isNull()) {
            throw ScimException.invalidSyntax("\"schemas\" is required and must list " + type.core().id());
        }
        JsonNode array = schemas.isTextual() ? Json.array().add(schemas) : schemas;
        if (!array.isArray()) {
            throw ScimException.invalidSyntax("\"schemas\" must be an array of schema URNs");
        }
        List<String> listed = new ArrayList<>();
        for (JsonNode urn : array) {
            if (!urn.isTextual()) {
                throw ScimException.invalidSyntax("\"schemas\" must be an array of schema URNs");
            }
            String text = urn.asText();
            for (ResourceType other : ResourceType.values()) {
                if (other != type && other.knowsSchema(text) && !type.knowsSchema(text)) {
                    throw ScimException.invalidSyntax("\"schemas\" names " + text + ", the schema of a "
                            + other.wireName() + ", in a " + type.wireName() + " resource");
                }
            }
            if (text.toLowerCase(Locale.ROOT).startsWith(API_MESSAGES)) {
                throw ScimException.invalidSyntax("\"schemas\" names the message " + text + ", not a resource schema");
            }
            listed.add(text);
        }
        return listed;
    }

    private void readExtension(Schema ext, JsonNode value, Map<Schema, Map<AttributeDef, JsonNode>> extensions) {
        if (AttributeValues.isUnassigned(value)) {
            return;
        }
        if (!value.isObject()) {
            throw ScimException.invalidValue(ext.id() + ": expected an object, got " + AttributeValues.kind(value));
        }
        Map<AttributeDef, JsonNode> values = extensions.computeIfAbsent(ext, e -> new LinkedHashMap<>());
        Iterator<Map.Entry<String, JsonNode>> it = value.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> field = it.next();
            ext.attribute(field.getKey()).ifPresent(def -> put(values, def, field.getValue(), ext.id() + ":" + def.name()));
        }
    }

    /** A top-level key that starts with a URN: a qualified attribute of a known schema, or an unknown extension. */
    private void readQualified(String name, JsonNode value, Map<AttributeDef, JsonNode> core,
                               Map<Schema, Map<AttributeDef, JsonNode>> extensions, Map<String, JsonNode> unknown) {
        String coreId = type.core().id();
        if (name.regionMatches(true, 0, coreId + ":", 0, coreId.length() + 1)) {
            type.coreAttribute(name.substring(coreId.length() + 1)).ifPresent(def -> put(core, def, value, name));
            return;
        }
        for (Schema ext : type.extensions()) {
            if (name.regionMatches(true, 0, ext.id() + ":", 0, ext.id().length() + 1)) {
                ext.attribute(name.substring(ext.id().length() + 1)).ifPresent(def -> put(
                        extensions.computeIfAbsent(ext, e -> new LinkedHashMap<>()), def, value, name));
                return;
            }
        }
        if (!AttributeValues.isUnassigned(value)) {
            unknown.put(name, value);
        }
    }

    private void put(Map<AttributeDef, JsonNode> values, AttributeDef def, JsonNode value, String label) {
        if (def.mutability() == AttributeDef.Mutability.READ_ONLY
                || def.mutability() == AttributeDef.Mutability.WRITE_ONLY) {
            return; // id, meta, groups are the server's; password is never stored
        }
        if (type == ResourceType.GROUP && def.name().equals("members")) {
            return; // read by members(), stored apart from the group
        }
        Optional<JsonNode> canonical = AttributeValues.canonical(def, value, def.name());
        if (canonical.isEmpty()) {
            return;
        }
        if (values.containsKey(def) && !values.get(def).equals(canonical.get())) {
            throw ScimException.invalidValue("\"" + def.name() + "\" is given twice (as \"" + label + "\" and another spelling)");
        }
        values.put(def, canonical.get());
    }

    private void checkRequired(Map<AttributeDef, JsonNode> core) {
        for (AttributeDef def : type.core().attributes()) {
            if (!def.required()) {
                continue;
            }
            JsonNode value = core.get(def);
            if (value == null || (value.isTextual() && value.asText().isBlank())) {
                throw ScimException.invalidValue("\"" + def.name() + "\" is required");
            }
        }
    }

    private static void copy(Map<AttributeDef, JsonNode> values, AttributeDef def, ObjectNode target) {
        JsonNode value = values.get(def);
        if (value != null) {
            target.set(def.name(), value);
        }
    }

}
