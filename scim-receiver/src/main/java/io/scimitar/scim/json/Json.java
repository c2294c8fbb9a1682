package io.scimitar.scim.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/**
 * The one JSON mapper of the receiver. Untrusted input is bounded here: nesting depth, string
 * and number lengths, and duplicate keys (rejected, as a second value would silently win).
 */
public final class Json {

    /** SCIM resources nest three levels deep; anything far beyond that is an attack, not a user. */
    public static final int MAX_NESTING_DEPTH = 32;
    public static final int MAX_STRING_LENGTH = 1 << 20;
    public static final int MAX_NUMBER_LENGTH = 100;

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Json() {
    }

    /**
     * The property of {@code object} whose name equals {@code name} ignoring case (SCIM attribute
     * names are case-insensitive, RFC 7643 §2.1); an exact match is looked up first.
     */
    public static Optional<Map.Entry<String, JsonNode>> property(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return Optional.empty();
        }
        JsonNode direct = object.get(name);
        if (direct != null) {
            return Optional.of(Map.entry(name, direct));
        }
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }
}
