package io.scimitar.scim.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.store.Change;
import io.scimitar.scim.store.ChangeCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The change stream's lines (docs/feed.md), each encoded once, newline-terminated, as UTF-8 bytes. */
final class FeedLines {

    private FeedLines() {
    }

    /** {@code {"type":"change","version":…,"committedAt":"…","events":[…]}}: ChangeCodec's shape with a type. */
    static byte[] change(Change change) {
        ObjectNode line = Json.object().put("type", "change");
        line.setAll(ChangeCodec.toJson(change));
        return encode(line);
    }

    /** {@code {"type":"heartbeat","version":C}}: nothing after C yet. */
    static byte[] heartbeat(long version) {
        return ("{\"type\":\"heartbeat\",\"version\":" + version + "}\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The body of a refusal: {@code {"status":N,"detail":"…"}}, not newline-terminated. */
    static byte[] error(int status, String detail) {
        try {
            return Json.MAPPER.writeValueAsBytes(Json.object().put("status", status).put("detail", detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a two-field object always serialises", e);
        }
    }

    private static byte[] encode(ObjectNode line) {
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(line);
            byte[] withNewline = Arrays.copyOf(json, json.length + 1);
            withNewline[json.length] = '\n';
            return withNewline;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a change read from the log always serialises", e);
        }
    }
}
