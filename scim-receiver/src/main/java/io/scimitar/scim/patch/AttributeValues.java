package io.scimitar.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.AttributeDef;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Brings one attribute value to the canonical form of its definition: sub-attribute names in
 * schema case, {@code "False"} as {@code false}, a single value wrapped where an array is expected,
 * nulls and empty values dropped. Shared by {@link ResourceNormalizer} and {@link PatchEngine} so
 * that a POST body and a PATCH value end up stored the same way.
 */
final class AttributeValues {

    private AttributeValues() {
    }

    /** The canonical value, or empty when the value is unassigned (null, [], {}) (RFC 7643 §2.5). */
    static Optional<JsonNode> canonical(AttributeDef def, JsonNode value, String label) {
        if (isUnassigned(value)) {
            return Optional.empty();
        }
        if (!def.multiValued()) {
            // Entra sometimes wraps a single-valued complex value (the manager) in a one-element array.
            JsonNode single = value.isArray() && value.size() == 1 ? value.get(0) : value;
            return element(def, single, label);
        }
        ArrayNode out = Json.array();
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                element(def, value.get(i), label + "[" + i + "]").ifPresent(e -> addDistinct(out, e));
            }
        } else {
            element(def, value, label).ifPresent(e -> addDistinct(out, e));
        }
        if (out.isEmpty()) {
            return Optional.empty();
        }
        checkOnePrimary(out, label);
        return Optional.of(out);
    }

    /** The canonical value of one element of {@code def} (the attribute itself when single-valued). */
    static Optional<JsonNode> element(AttributeDef def, JsonNode value, String label) {
        if (isUnassigned(value)) {
            return Optional.empty();
        }
        return switch (def.type()) {
            case COMPLEX -> complex(def, value, label);
            case BOOLEAN -> Optional.of(bool(value, label));
            case STRING, REFERENCE, BINARY -> Optional.of(string(value, label));
            case DATE_TIME -> Optional.of(dateTime(value, label));
            case INTEGER -> Optional.of(integer(value, label));
            case DECIMAL -> Optional.of(decimal(value, label));
        };
    }

    /** RFC 7643 §2.4: "true" for {@code primary} appears at most once in a multi-valued attribute. */
    static void checkOnePrimary(ArrayNode elements, String label) {
        int primaries = 0;
        for (JsonNode e : elements) {
            if (e.path("primary").asBoolean(false)) {
                primaries++;
            }
        }
        if (primaries > 1) {
            throw ScimException.invalidValue(label + ": more than one value has \"primary\": true");
        }
    }

    static boolean isUnassigned(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode()
                || (value.isContainerNode() && value.isEmpty());
    }

    private static void addDistinct(ArrayNode out, JsonNode element) {
        for (JsonNode existing : out) {
            if (existing.equals(element)) {
                return;
            }
        }
        out.add(element);
    }

    private static Optional<JsonNode> complex(AttributeDef def, JsonNode value, String label) {
        JsonNode object = value;
        if (value.isTextual() && def.subAttribute("value").isPresent()) {
            // Entra sends the enterprise manager as a bare id; a bare value of any {value, ...} attribute reads the same way.
            object = Json.object().set("value", value);
        }
        if (!object.isObject()) {
            throw ScimException.invalidValue(label + ": expected an object, got " + kind(value));
        }
        ObjectNode found = Json.object();
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> entry = it.next();
            Optional<AttributeDef> sub = def.subAttribute(entry.getKey());
            // Unknown and read-only sub-attributes are ignored, as read-only attributes are (RFC 7644 §3.5.1).
            if (sub.isEmpty() || sub.get().mutability() == AttributeDef.Mutability.READ_ONLY) {
                continue;
            }
            String name = sub.get().name();
            Optional<JsonNode> canonical = element(sub.get(), entry.getValue(), label + "." + name);
            if (canonical.isPresent()) {
                if (found.has(name) && !found.get(name).equals(canonical.get())) {
                    throw ScimException.invalidValue(label + ": \"" + name + "\" is given twice");
                }
                found.set(name, canonical.get());
            }
        }
        ObjectNode out = Json.object();
        for (AttributeDef sub : def.subAttributes()) {
            if (found.has(sub.name())) {
                out.set(sub.name(), found.get(sub.name()));
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    private static JsonNode bool(JsonNode value, String label) {
        if (value.isBoolean()) {
            return value;
        }
        if (value.isTextual()) {
            // Entra ID sends booleans as strings ("True", "False") unless the app opts in to compliance.
            String text = value.asText().trim().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return BooleanNode.valueOf(text.equals("true"));
            }
        }
        throw ScimException.invalidValue(label + ": expected a boolean, got " + kind(value));
    }

    private static JsonNode string(JsonNode value, String label) {
        if (value.isTextual()) {
            return value;
        }
        if (value.isNumber()) {
            // Lenient: IdPs map numeric profile fields (employeeNumber) without quoting them.
            return TextNode.valueOf(value.asText());
        }
        throw ScimException.invalidValue(label + ": expected a string, got " + kind(value));
    }

    private static JsonNode dateTime(JsonNode value, String label) {
        if (value.isTextual()) {
            try {
                OffsetDateTime.parse(value.asText());
                return value;
            } catch (DateTimeParseException e) {
                // fall through to the error below
            }
        }
        throw ScimException.invalidValue(label + ": expected an xsd:dateTime such as 2015-09-01T12:00:00Z");
    }

    private static JsonNode integer(JsonNode value, String label) {
        try {
            if (value.isIntegralNumber() && value.canConvertToLong()) {
                return LongNode.valueOf(value.asLong());
            }
            if (value.isTextual()) {
                return LongNode.valueOf(Long.parseLong(value.asText().trim()));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw ScimException.invalidValue(label + ": expected an integer, got " + kind(value));
    }

    private static JsonNode decimal(JsonNode value, String label) {
        try {
            if (value.isNumber()) {
                return DecimalNode.valueOf(value.decimalValue());
            }
            if (value.isTextual()) {
                return DecimalNode.valueOf(new BigDecimal(value.asText().trim()));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw ScimException.invalidValue(label + ": expected a number, got " + kind(value));
    }

    static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "null";
        };
    }
}
