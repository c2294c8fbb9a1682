package io.scimitar.scim.feed;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.store.JdbcStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Writes the snapshot's NDJSON lines (docs/feed.md) as the store hands it rows: groups, then users
 * each with the ids of its groups, both with only the attributes a sidecar matches on, then the
 * {@code end} line with the counts. Runs on a blocking thread; holds one line at a time. Public so
 * that a stand-in feed server in tests speaks exactly this wire form.
 */
public final class SnapshotEncoder implements JdbcStore.SnapshotVisitor {

    private final JsonGenerator json;
    private final LongConsumer onVersion;
    private long version = -1;
    private long users;
    private long groups;
    private long memberships;

    /** @param onVersion told the version before the first line is written (it goes in a response header) */
    public SnapshotEncoder(OutputStream out, LongConsumer onVersion) {
        try {
            this.json = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Lines are ended by '\n' below; Jackson's default separator between root values is a space.
        json.setRootValueSeparator(null);
        this.onVersion = onVersion;
    }

    @Override
    public void version(long v) {
        version = v;
        onVersion.accept(v);
        line(() -> {
            json.writeStringField("type", "snapshot");
            json.writeNumberField("version", v);
        });
    }

    @Override
    public void group(ObjectNode group) {
        groups++;
        line(() -> {
            json.writeStringField("type", "group");
            json.writeObjectFieldStart("group");
            json.writeStringField("id", group.path("id").asText());
            json.writeStringField("displayName", group.path("displayName").asText());
            text(group, "externalId");
            json.writeEndObject();
        });
    }

    @Override
    public void user(ObjectNode user, List<String> groupIds) {
        users++;
        line(() -> {
            json.writeStringField("type", "user");
            json.writeObjectFieldStart("user");
            json.writeStringField("id", user.path("id").asText());
            json.writeStringField("userName", user.path("userName").asText());
            text(user, "externalId");
            JsonNode emails = user.path("emails");
            if (emails.isArray() && !emails.isEmpty()) {
                json.writeArrayFieldStart("emails");
                for (JsonNode email : emails) {
                    if (email.path("value").isTextual()) {
                        json.writeStartObject();
                        json.writeStringField("value", email.path("value").asText());
                        json.writeEndObject();
                    }
                }
                json.writeEndArray();
            }
            // RFC 7643 §4.1.1 leaves active's default open; here, as everywhere in Scimitar, absent means active.
            json.writeBooleanField("active", user.path("active").asBoolean(true));
            json.writeEndObject();
            json.writeArrayFieldStart("groups");
            for (String groupId : groupIds) {
                json.writeString(groupId);
            }
            json.writeEndArray();
        });
        memberships += groupIds.size();
    }

    /** The {@code end} line; the snapshot is complete once this returns. */
    public void finish() {
        line(() -> {
            json.writeStringField("type", "end");
            json.writeNumberField("version", version);
            json.writeNumberField("users", users);
            json.writeNumberField("groups", groups);
            json.writeNumberField("memberships", memberships);
        });
        try {
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long users() {
        return users;
    }

    long groups() {
        return groups;
    }

    long memberships() {
        return memberships;
    }

    private void text(ObjectNode resource, String attribute) throws IOException {
        JsonNode value = resource.path(attribute);
        if (value.isTextual()) {
            json.writeStringField(attribute, value.asText());
        }
    }

    @FunctionalInterface
    private interface Fields {
        void write() throws IOException;
    }

    private void line(Fields fields) {
        try {
            json.writeStartObject();
            fields.write();
            json.writeEndObject();
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
