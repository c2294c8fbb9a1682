package io.scimitar.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.index.MembershipIndex;
import io.scimitar.index.UserKey;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.DirectoryService;
import io.scimitar.scim.service.DirectorySettings;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.store.JdbcStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The directory a feed serves, as a receiver holds it: a SQLite {@link JdbcStore} in a fresh
 * temporary folder, its view, and the SCIM service every write goes through, as an IdP's would.
 */
public final class SourceDirectory implements AutoCloseable {

    private final Path folder;
    private final JdbcStore store;
    private final DirectoryView view;
    private final DirectoryService scim;

    public SourceDirectory() throws IOException {
        folder = Files.createTempDirectory("feed-source-");
        store = JdbcStore.openSqlite(folder.resolve("directory.db"), true, Clock.systemUTC());
        view = DirectoryView.follow(store);
        scim = new DirectoryService(store, view, DirectorySettings.DEFAULT);
    }

    public JdbcStore store() {
        return store;
    }

    public long version() {
        return store.changeLog().currentVersion();
    }

    /** Creates an active user whose userName is {@code email}; returns its id. */
    public String createUser(String email) {
        ObjectNode json = Json.object();
        json.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
        json.put("userName", email);
        json.putArray("emails").addObject().put("value", email).put("type", "work");
        return scim.create(ResourceType.USER, json, Projection.DEFAULT).id();
    }

    public String createGroup(String displayName, String... memberIds) {
        ObjectNode json = Json.object();
        json.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
        json.put("displayName", displayName);
        ArrayNode members = json.putArray("members");
        for (String id : memberIds) {
            members.addObject().put("value", id);
        }
        return scim.create(ResourceType.GROUP, json, Projection.DEFAULT).id();
    }

    public void addMember(String groupId, String userId) {
        patch(ResourceType.GROUP, groupId, "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + userId + "\"}]}]");
    }

    public void removeMember(String groupId, String userId) {
        patch(ResourceType.GROUP, groupId, "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + userId + "\\\"]\"}]");
    }

    public void deactivate(String userId) {
        patch(ResourceType.USER, userId, "[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]");
    }

    /**
     * What a sidecar's index must say about this directory now: per userName, the active flag and
     * the displayNames of the user's groups.
     */
    public Map<String, String> expected() {
        return describe(MembershipIndex.of(store.snapshot(), UserKey.USER_NAME));
    }

    /** Per userName, {@code active [group, ...]} (groups by displayName, sorted): comparable across indexes. */
    public static Map<String, String> describe(MembershipIndex index) {
        Map<String, String> users = new TreeMap<>();
        index.forEachUser(user -> {
            var groups = new TreeSet<String>();
            for (int i = 0; i < user.groupCount(); i++) {
                groups.add(index.displayName(user.groupOrdinal(i)));
            }
            users.put(user.userName(), (user.active() ? "active " : "inactive ") + groups);
        });
        return users;
    }

    private void patch(ResourceType type, String id, String operations) {
        ObjectNode body = Json.object();
        body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
        try {
            body.set("Operations", Json.MAPPER.readTree(operations));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("bad JSON literal in a test: " + operations, e);
        }
        scim.patch(type, id, body, Optional.empty(), Projection.DEFAULT);
    }

    @Override
    public void close() {
        view.close();
        store.close();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
