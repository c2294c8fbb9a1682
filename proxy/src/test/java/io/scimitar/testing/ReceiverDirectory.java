package io.scimitar.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.DirectoryService;
import io.scimitar.scim.service.DirectorySettings;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.service.SqliteDirectory;
import io.scimitar.scim.store.Directory;
import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.store.JdbcStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The receiver's directory as production assembles it, for the index, feed and decision tests: the
 * receiver tests' {@link SqliteDirectory} (a JDBC store on a SQLite file in a fresh folder, the view
 * that follows it, the SCIM service on top). Every write goes through {@link DirectoryService} with
 * SCIM JSON, as an IdP's would.
 */
public final class ReceiverDirectory implements AutoCloseable {

    private final SqliteDirectory sqlite;
    private final Directory directory;
    private final DirectoryService service;

    private ReceiverDirectory(Path folder, boolean groupDisplayNameUnique) {
        this.sqlite = SqliteDirectory.open(folder,
                new DirectorySettings(groupDisplayNameUnique, DirectorySettings.DEFAULT.maxResults()));
        this.directory = sqlite.directory();
        this.service = directory.service();
    }

    public static ReceiverDirectory open() {
        return open(true);
    }

    public static ReceiverDirectory open(boolean groupDisplayNameUnique) {
        try {
            return new ReceiverDirectory(Files.createTempDirectory("receiver-directory-"), groupDisplayNameUnique);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A directory in {@code folder}, a new folder this creates (and deletes on close). */
    public static ReceiverDirectory in(Path folder) {
        try {
            return new ReceiverDirectory(Files.createDirectory(folder), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JdbcStore store() {
        return directory.store();
    }

    public DirectoryView view() {
        return directory.view();
    }

    public DirectoryService service() {
        return service;
    }

    public long version() {
        return directory.version();
    }

    /** Creates a user from a SCIM body (without {@code schemas}, which this adds); returns its id. */
    public String createUserFrom(String body) {
        ObjectNode json = object(body);
        json.putArray("schemas").add(Directory.USER_SCHEMA);
        return service.create(ResourceType.USER, json, Projection.DEFAULT).id();
    }

    public String createUser(String userName, String... emails) {
        ObjectNode json = Json.object();
        json.putArray("schemas").add(Directory.USER_SCHEMA);
        json.put("userName", userName);
        if (emails.length > 0) {
            ArrayNode array = json.putArray("emails");
            for (String email : emails) {
                array.addObject().put("value", email).put("type", "work");
            }
        }
        return service.create(ResourceType.USER, json, Projection.DEFAULT).id();
    }

    public String createGroup(String displayName, String... memberIds) {
        return createGroup(displayName, Optional.empty(), List.of(memberIds));
    }

    public String createGroup(String displayName, Optional<String> externalId, List<String> memberIds) {
        ObjectNode json = Json.object();
        json.putArray("schemas").add(Directory.GROUP_SCHEMA);
        json.put("displayName", displayName);
        externalId.ifPresent(e -> json.put("externalId", e));
        if (!memberIds.isEmpty()) {
            ArrayNode members = json.putArray("members");
            memberIds.forEach(id -> members.addObject().put("value", id));
        }
        return service.create(ResourceType.GROUP, json, Projection.DEFAULT).id();
    }

    /** PATCH with a JSON array of operations. */
    public void patch(ResourceType type, String id, String operations) {
        directory.patch(type, id, operations);
    }

    public void patchUser(String id, String operations) {
        patch(ResourceType.USER, id, operations);
    }

    public void patchGroup(String id, String operations) {
        patch(ResourceType.GROUP, id, operations);
    }

    public void addMember(String groupId, String userId) {
        patchGroup(groupId, "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + userId + "\"}]}]");
    }

    public void removeMember(String groupId, String userId) {
        patchGroup(groupId, "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + userId + "\\\"]\"}]");
    }

    public void deactivate(String userId) {
        patchUser(userId, "[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]");
    }

    /** PUT a user from a SCIM body (without {@code schemas}). */
    public void replaceUser(String id, String body) {
        ObjectNode json = object(body);
        json.putArray("schemas").add(Directory.USER_SCHEMA);
        service.replace(ResourceType.USER, id, json, Optional.empty(), Projection.DEFAULT);
    }

    public void deleteUser(String id) {
        service.delete(ResourceType.USER, id, Optional.empty());
    }

    public void deleteGroup(String id) {
        service.delete(ResourceType.GROUP, id, Optional.empty());
    }

    /** A JSON array of member references. */
    public static String members(List<String> ids) {
        ArrayNode array = Json.array();
        ids.forEach(id -> array.addObject().put("value", id));
        return array.toString();
    }

    public static ObjectNode object(String json) {
        return Directory.object(json);
    }

    @Override
    public void close() {
        sqlite.close();
    }
}
