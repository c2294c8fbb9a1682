package io.scimitar.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.error.ScimType;
import io.scimitar.scim.filter.FilterParser;
import io.scimitar.scim.filter.PatchPath;
import io.scimitar.scim.schema.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a PatchOp message (RFC 7644 §3.5.2) into operations, accepting the forms real IdPs send:
 * capitalised ops ({@code "Replace"}), and the other Entra ID and Okta shapes described in
 * docs/scim-interop.md. Anything else malformed is a {@link ScimException} with
 * {@code invalidSyntax}, {@code invalidPath}, {@code invalidValue} or {@code noTarget}.
 */
public final class PatchRequest {

    /**
     * The most operations one request may carry. IdPs send one to a few (Entra: one per
     * membership change); the member lists travel inside a value, not as operations. Beyond the
     * limit the answer is 413, as for a bulk request over {@code maxOperations} (RFC 7644 §3.7.4):
     * {@code tooMany} is defined for filters that select too many results, not for request size.
     */
    public static final int MAX_OPERATIONS = 1000;

    private PatchRequest() {
    }

    public static List<PatchOperation> parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ScimException.invalidSyntax("a PATCH body must be a JSON object with \"schemas\" and \"Operations\"");
        }
        checkSchemas(body);
        JsonNode operations = Json.property(body, "Operations").map(Map.Entry::getValue).orElse(null);
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ScimException.invalidSyntax("\"Operations\" must be a non-empty array of operations");
        }
        if (operations.size() > MAX_OPERATIONS) {
            throw ScimException.status(413, "a PATCH request may carry at most " + MAX_OPERATIONS
                    + " operations; this one has " + operations.size());
        }
        List<PatchOperation> parsed = new ArrayList<>(operations.size());
        for (int i = 0; i < operations.size(); i++) {
            parsed.add(operation(operations.get(i), i));
        }
        return List.copyOf(parsed);
    }

    private static void checkSchemas(JsonNode body) {
        JsonNode schemas = Json.property(body, "schemas").map(Map.Entry::getValue).orElse(null);
        boolean named = false;
        if (schemas != null && schemas.isArray()) {
            for (JsonNode urn : schemas) {
                named |= urn.isTextual() && urn.asText().equalsIgnoreCase(Schemas.PATCH_OP);
            }
        } else if (schemas != null && schemas.isTextual()) {
            named = schemas.asText().equalsIgnoreCase(Schemas.PATCH_OP);
        }
        if (!named) {
            throw ScimException.invalidSyntax("\"schemas\" must contain " + Schemas.PATCH_OP);
        }
    }

    private static PatchOperation operation(JsonNode node, int index) {
        String where = "Operations[" + index + "]";
        if (!node.isObject()) {
            throw ScimException.invalidSyntax(where + ": an operation must be an object with \"op\"");
        }
        JsonNode opNode = Json.property(node, "op").map(Map.Entry::getValue).orElse(null);
        if (opNode == null || !opNode.isTextual()) {
            throw ScimException.invalidSyntax(where + ": \"op\" is required (add, remove or replace)");
        }
        // Entra ID capitalises ops ("Add", "Replace", "Remove"); an unknown op is an error, never skipped.
        PatchOperation.Op op = switch (opNode.asText().trim().toLowerCase(Locale.ROOT)) {
            case "add" -> PatchOperation.Op.ADD;
            case "remove" -> PatchOperation.Op.REMOVE;
            case "replace" -> PatchOperation.Op.REPLACE;
            default -> throw ScimException.invalidSyntax(where + ": unknown op \"" + opNode.asText()
                    + "\"; expected add, remove or replace");
        };
        Optional<PatchPath> path = path(node, where);
        JsonNode valueNode = Json.property(node, "value").map(Map.Entry::getValue).orElse(null);
        Optional<JsonNode> value = valueNode == null || valueNode.isNull() ? Optional.empty() : Optional.of(valueNode);
        if (op == PatchOperation.Op.REMOVE && path.isEmpty()) {
            // RFC 7644 §3.5.2.2: remove without a path fails with noTarget.
            throw ScimException.noTarget(where + ": remove needs a \"path\"");
        }
        if (op != PatchOperation.Op.REMOVE && value.isEmpty()) {
            throw ScimException.invalidValue(where + ": " + op.name().toLowerCase(Locale.ROOT) + " needs a \"value\"");
        }
        return new PatchOperation(op, path, value);
    }

    private static Optional<PatchPath> path(JsonNode node, String where) {
        JsonNode pathNode = Json.property(node, "path").map(Map.Entry::getValue).orElse(null);
        if (pathNode == null || pathNode.isNull()) {
            return Optional.empty();
        }
        if (!pathNode.isTextual()) {
            throw ScimException.invalidPath(where + ": \"path\" must be a string");
        }
        String text = pathNode.asText().trim();
        if (text.isEmpty()) {
            return Optional.empty(); // some clients send "path": "" for a path-less operation
        }
        try {
            return Optional.of(FilterParser.parsePatchPath(text));
        } catch (ScimException e) {
            // A bad filter inside a path is a bad path (RFC 7644 §3.12: invalidPath).
            ScimType type = e.scimType().filter(t -> t != ScimType.INVALID_FILTER).orElse(ScimType.INVALID_PATH);
            throw ScimException.of(type, where + ": path \"" + text + "\": " + e.detail());
        }
    }
}
