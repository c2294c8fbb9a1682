package io.scimitar.scim.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON wire shape of a {@link Change}, used by the change-log table and the feed. Stable:
 * <pre>
 * {"version":7,"committedAt":"2026-11-28T10:15:30.123Z","events":[
 *   {"type":"userUpserted","user":{...}},
 *   {"type":"userDeactivated","user":{...}},
 *   {"type":"userDeleted","userId":"..."},
 *   {"type":"groupUpserted","group":{...}},
 *   {"type":"groupDeleted","groupId":"..."},
 *   {"type":"membersAdded","groupId":"...","members":[{"id":"...","type":"User"}]},
 *   {"type":"membersRemoved","groupId":"...","members":[{"id":"...","type":"Group"}]}]}
 * </pre>
 * Readers ignore fields they do not know, so fields may be added without a new shape.
 */
public final class ChangeCodec {

    private ChangeCodec() {
    }

    public static ObjectNode toJson(Change change) {
        ObjectNode json = Json.object();
        json.put("version", change.version());
        json.put("committedAt", change.committedAt().toString());
        json.set("events", eventsToJson(change.events()));
        return json;
    }

    public static String encode(Change change) {
        return write(toJson(change));
    }

    /** The {@code events} array alone, as stored in the change-log table. */
    public static ArrayNode eventsToJson(List<ChangeEvent> events) {
        ArrayNode array = Json.array();
        for (ChangeEvent event : events) {
            array.add(eventToJson(event));
        }
        return array;
    }

    public static String encodeEvents(List<ChangeEvent> events) {
        return write(eventsToJson(events));
    }

    public static ObjectNode eventToJson(ChangeEvent event) {
        ObjectNode json = Json.object();
        switch (event) {
            case ChangeEvent.UserUpserted e -> json.put("type", "userUpserted").set("user", e.user());
            case ChangeEvent.UserDeactivated e -> json.put("type", "userDeactivated").set("user", e.user());
            case ChangeEvent.UserDeleted e -> json.put("type", "userDeleted").put("userId", e.userId());
            case ChangeEvent.GroupUpserted e -> json.put("type", "groupUpserted").set("group", e.group());
            case ChangeEvent.GroupDeleted e -> json.put("type", "groupDeleted").put("groupId", e.groupId());
            case ChangeEvent.MembersAdded e -> {
                json.put("type", "membersAdded").put("groupId", e.groupId());
                json.set("members", membersToJson(e.members()));
            }
            case ChangeEvent.MembersRemoved e -> {
                json.put("type", "membersRemoved").put("groupId", e.groupId());
                json.set("members", membersToJson(e.members()));
            }
        }
        return json;
    }

    private static ArrayNode membersToJson(List<ChangeEvent.Member> members) {
        ArrayNode array = Json.array();
        for (ChangeEvent.Member m : members) {
            array.addObject().put("id", m.id()).put("type", m.type());
        }
        return array;
    }

    /** Reads a whole change. Malformed input is an {@link IllegalArgumentException} naming what is wrong. */
    public static Change decode(String json) {
        return fromJson(read(json));
    }

    public static Change fromJson(JsonNode json) {
        long version = requireField(json, "version").asLong();
        Instant committedAt = instant(requireText(json, "committedAt"));
        return new Change(version, committedAt, eventsFromJson(requireField(json, "events")));
    }

    public static List<ChangeEvent> decodeEvents(String json) {
        return eventsFromJson(read(json));
    }

    public static List<ChangeEvent> eventsFromJson(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("events must be an array");
        }
        List<ChangeEvent> events = new ArrayList<>(array.size());
        for (JsonNode event : array) {
            events.add(eventFromJson(event));
        }
        return events;
    }

    public static ChangeEvent eventFromJson(JsonNode json) {
        String type = requireText(json, "type");
        return switch (type) {
            case "userUpserted" -> new ChangeEvent.UserUpserted(requireObject(json, "user"));
            case "userDeactivated" -> new ChangeEvent.UserDeactivated(requireObject(json, "user"));
            case "userDeleted" -> new ChangeEvent.UserDeleted(requireText(json, "userId"));
            case "groupUpserted" -> new ChangeEvent.GroupUpserted(requireObject(json, "group"));
            case "groupDeleted" -> new ChangeEvent.GroupDeleted(requireText(json, "groupId"));
            case "membersAdded" -> new ChangeEvent.MembersAdded(requireText(json, "groupId"), members(json));
            case "membersRemoved" -> new ChangeEvent.MembersRemoved(requireText(json, "groupId"), members(json));
            default -> throw new IllegalArgumentException("unknown change event type: " + type);
        };
    }

    private static List<ChangeEvent.Member> members(JsonNode json) {
        JsonNode array = requireField(json, "members");
        if (!array.isArray()) {
            throw new IllegalArgumentException("members must be an array");
        }
        List<ChangeEvent.Member> members = new ArrayList<>(array.size());
        for (JsonNode m : array) {
            members.add(new ChangeEvent.Member(requireText(m, "id"), requireText(m, "type")));
        }
        return members;
    }

    private static JsonNode requireField(JsonNode json, String field) {
        JsonNode value = json == null ? null : json.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field: " + field);
        }
        return value;
    }

    private static String requireText(JsonNode json, String field) {
        JsonNode value = requireField(json, field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.asText();
    }

    private static ObjectNode requireObject(JsonNode json, String field) {
        if (requireField(json, field) instanceof ObjectNode object) {
            return object;
        }
        throw new IllegalArgumentException(field + " must be an object");
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("committedAt is not an ISO-8601 instant: " + text, e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed change JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode json) {
        try {
            return Json.MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            // Only a tree of plain JSON nodes is written: serialising it cannot fail.
            throw new IllegalStateException(e);
        }
    }
}
