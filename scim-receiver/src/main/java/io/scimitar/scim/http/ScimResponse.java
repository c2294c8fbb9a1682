package io.scimitar.scim.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.error.ScimType;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.Schemas;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A response as the endpoints produce it, before Netty sees it: status, extra headers and the
 * serialised body. Built off the event loop; written on it.
 *
 * @param close true when the connection must be closed after this response
 */
record ScimResponse(int status, Map<String, String> headers, byte[] body, boolean close) {

    /** RFC 7644 §3.1 names {@code application/scim+json}; the charset spares clients a guess. */
    static final String CONTENT_TYPE = "application/scim+json; charset=utf-8";
    private static final int MAX_DETAIL_LENGTH = 300;
    private static final byte[] NO_BODY = new byte[0];

    ScimResponse {
        headers = Map.copyOf(headers);
    }

    static ScimResponse json(int status, JsonNode body) {
        try {
            return new ScimResponse(status, Map.of(), Json.MAPPER.writeValueAsBytes(body), false);
        } catch (JsonProcessingException e) {
            // A tree we built ourselves always serialises; this is a bug, not a client error.
            throw new IllegalStateException("cannot serialise a response body", e);
        }
    }

    static ScimResponse empty(int status) {
        return new ScimResponse(status, Map.of(), NO_BODY, false);
    }

    static ScimResponse error(ScimException e) {
        return error(e.status(), e.scimType(), e.detail());
    }

    /** The SCIM error message of RFC 7644 §3.12; {@code status} travels as a string there. */
    static ScimResponse error(int status, Optional<ScimType> scimType, String detail) {
        ObjectNode body = Json.object();
        body.putArray("schemas").add(Schemas.ERROR);
        body.put("status", Integer.toString(status));
        scimType.ifPresent(t -> body.put("scimType", t.wireName()));
        body.put("detail", safeDetail(detail));
        return json(status, body);
    }

    ScimResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ScimResponse(status, copy, body, close);
    }

    ScimResponse closing() {
        return new ScimResponse(status, headers, body, true);
    }

    /** Bounded and free of control characters, so an error never echoes a huge or hostile input back. */
    static String safeDetail(String detail) {
        if (detail == null || detail.isBlank()) {
            return "request refused";
        }
        StringBuilder sb = new StringBuilder(Math.min(detail.length(), MAX_DETAIL_LENGTH + 1));
        for (int i = 0; i < detail.length() && sb.length() < MAX_DETAIL_LENGTH; i++) {
            char c = detail.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (detail.length() > MAX_DETAIL_LENGTH) {
            sb.append('…');
        }
        return sb.toString();
    }
}
