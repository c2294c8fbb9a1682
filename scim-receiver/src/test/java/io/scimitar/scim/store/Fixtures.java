package io.scimitar.scim.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.Schemas;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Hand-built canonical resources and a store on a temporary SQLite file. */
final class Fixtures {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00.123Z"), ZoneOffset.UTC);

    private Fixtures() {
    }

    static JdbcStore open(Path dir) {
        return JdbcStore.openSqlite(dir.resolve("data/scim.db"), true, CLOCK);
    }

    static ObjectNode user(String id, String userName, boolean active) {
        ObjectNode user = Json.object();
        user.putArray("schemas").add(Schemas.USER);
        user.put("id", id).put("externalId", "ext-" + id).put("userName", userName).put("active", active);
        user.putObject("name").put("givenName", "G" + id).put("familyName", "F" + id);
        user.putObject("meta").put("resourceType", "User").put("created", "2026-11-28T10:00:00.123Z")
                .put("lastModified", "2026-11-28T10:00:00.123Z").put("version", "W/\"1\"");
        return user;
    }

    static ObjectNode group(String id, String displayName) {
        ObjectNode group = Json.object();
        group.putArray("schemas").add(Schemas.GROUP);
        group.put("id", id).put("displayName", displayName);
        group.putObject("meta").put("resourceType", "Group").put("created", "2026-11-28T10:00:00.123Z")
                .put("lastModified", "2026-11-28T10:00:00.123Z").put("version", "W/\"1\"");
        return group;
    }

    static ChangeEvent.Member userMember(String id) {
        return new ChangeEvent.Member(id, "User");
    }

    /** Commits {@code events} as one change and returns its version. */
    static long commit(JdbcStore store, ChangeEvent... events) {
        return store.write(tx -> {
            for (ChangeEvent e : events) {
                tx.append(e);
            }
            return tx.version();
        });
    }

    static List<ChangeEvent> everyEventType() {
        return List.of(
                new ChangeEvent.UserUpserted(user("u1", "alice", true)),
                new ChangeEvent.UserDeactivated(user("u1", "alice", false)),
                new ChangeEvent.UserDeleted("u1"),
                new ChangeEvent.GroupUpserted(group("g1", "Admins")),
                new ChangeEvent.GroupDeleted("g1"),
                new ChangeEvent.MembersAdded("g1", List.of(userMember("u1"), new ChangeEvent.Member("g2", "Group"))),
                new ChangeEvent.MembersRemoved("g1", List.of(userMember("u1"))));
    }
}
