package io.scimitar.scim.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.json.Json;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads a request body: checks its media type (RFC 7644 §3.1: {@code application/scim+json},
 * and {@code application/json} which every IdP also sends) and parses it as one JSON object.
 * Every failure is a short {@link ScimException}; nothing of a large input is echoed back.
 */
final class RequestBody {

    private static final int MAX_REASON_LENGTH = 120;

    private RequestBody() {
    }

    /** The body as a JSON object: 415 for a wrong media type, 400 invalidSyntax for anything unparsable. */
    static ObjectNode object(ScimRequest request) {
        if (request.body().length == 0) {
            throw ScimException.invalidSyntax("the request body is empty; a JSON object is required");
        }
        checkMediaType(request.header(HttpHeaderNames.CONTENT_TYPE).orElse(""));
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(request.body());
        } catch (StreamConstraintsException e) {
            throw ScimException.invalidSyntax("the JSON body is nested too deeply or holds a value that is too long");
        } catch (JsonProcessingException e) {
            throw ScimException.invalidSyntax("malformed JSON" + where(e.getLocation()) + ": " + reason(e));
        } catch (IOException e) {
            throw ScimException.invalidSyntax("unreadable JSON body");
        }
        if (node == null || node.isMissingNode()) {
            throw ScimException.invalidSyntax("the request body is empty; a JSON object is required");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ScimException.invalidSyntax("the request body must be a JSON object, not " + kind(node));
        }
        return object;
    }

    /**
     * Accepts {@code application/scim+json} and {@code application/json} in any case, with an
     * optional {@code charset=utf-8} (JSON is UTF-8, RFC 8259 §8.1); other charsets are 415.
     */
    static void checkMediaType(String contentType) {
        String[] parts = contentType.split(";");
        String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/scim+json") && !mediaType.equals("application/json")) {
            throw ScimException.status(415, mediaType.isEmpty()
                    ? "a Content-Type of application/scim+json is required"
                    : "unsupported Content-Type; use application/scim+json or application/json");
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip();
            int eq = param.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = param.substring(0, eq).strip();
            String value = unquote(param.substring(eq + 1).strip());
            if (name.equalsIgnoreCase("charset") && !value.equalsIgnoreCase("utf-8")
                    && !value.equalsIgnoreCase("utf8")) {
                throw ScimException.status(415, "unsupported charset; SCIM bodies are UTF-8");
            }
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return "unexpected input";
        }
        // Jackson appends hints after a newline; the first line is the reason.
        int newline = message.indexOf('\n');
        String first = newline >= 0 ? message.substring(0, newline) : message;
        return first.length() > MAX_REASON_LENGTH ? first.substring(0, MAX_REASON_LENGTH) + "…" : first;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
