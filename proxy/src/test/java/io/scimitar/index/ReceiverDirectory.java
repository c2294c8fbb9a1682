package io.scimitar.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The receiver's directory as production assembles it, for the index tests: a JDBC store on a
 * SQLite file in a fresh temporary folder, the view that follows it, and the SCIM service on top.
 * Every write goes through {@link DirectoryService} with SCIM JSON, as an IdP's would.
 */
final class ReceiverDirectory implements AutoCloseable {

    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private final Path folder;
    private final JdbcStore store;
    private final DirectoryView view;
    private final DirectoryService service;

    private ReceiverDirectory(Path folder, boolean groupDisplayNameUnique) {
        this.folder = folder;
        this.store = JdbcStore.openSqlite(folder.resolve("directory.db"), groupDisplayNameUnique, Clock.systemUTC());
        this.view = DirectoryView.follow(store);
        this.service = new DirectoryService(store, view,
                new DirectorySettings(groupDisplayNameUnique, DirectorySettings.DEFAULT.maxResults()));
    }

    static ReceiverDirectory open() {
        return open(true);
    }

    static ReceiverDirectory open(boolean groupDisplayNameUnique) {
        try {
            return new ReceiverDirectory(Files.createTempDirectory("index-directory-"), groupDisplayNameUnique);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JdbcStore store() {
        return store;
    }

    DirectoryView view() {
        return view;
    }

    DirectoryService service() {
        return service;
    }

    long version() {
        return store.changeLog().currentVersion();
    }

    /** Creates a user from a SCIM body (without {@code schemas}, which this adds); returns its id. */
    String createUserFrom(String body) {
        ObjectNode json = object(body);
        json.putArray("schemas").add(USER_SCHEMA);
        return service.create(ResourceType.USER, json, Projection.DEFAULT).id();
    }

    String createUser(String userName, String... emails) {
        ObjectNode json = Json.object();
        json.putArray("schemas").add(USER_SCHEMA);
        json.put("userName", userName);
        if (emails.length > 0) {
            ArrayNode array = json.putArray("emails");
            for (String email : emails) {
                array.addObject().put("value", email).put("type", "work");
            }
        }
        return service.create(ResourceType.USER, json, Projection.DEFAULT).id();
    }

    String createGroup(String displayName, String... memberIds) {
        return createGroup(displayName, Optional.empty(), List.of(memberIds));
    }

    String createGroup(String displayName, Optional<String> externalId, List<String> memberIds) {
        ObjectNode json = Json.object();
        json.putArray("schemas").add(GROUP_SCHEMA);
        json.put("displayName", displayName);
        externalId.ifPresent(e -> json.put("externalId", e));
        if (!memberIds.isEmpty()) {
            ArrayNode members = json.putArray("members");
            memberIds.forEach(id -> members.addObject().put("value", id));
        }
        return service.create(ResourceType.GROUP, json, Projection.DEFAULT).id();
    }

    /** PATCH with a JSON array of operations. */
    void patchUser(String id, String operations) {
        service.patch(ResourceType.USER, id, patchOp(operations), Optional.empty(), Projection.DEFAULT);
    }

    void patchGroup(String id, String operations) {
        service.patch(ResourceType.GROUP, id, patchOp(operations), Optional.empty(), Projection.DEFAULT);
    }

    /** PUT a user from a SCIM body (without {@code schemas}). */
    void replaceUser(String id, String body) {
        ObjectNode json = object(body);
        json.putArray("schemas").add(USER_SCHEMA);
        service.replace(ResourceType.USER, id, json, Optional.empty(), Projection.DEFAULT);
    }

    void deleteUser(String id) {
        service.delete(ResourceType.USER, id, Optional.empty());
    }

    void deleteGroup(String id) {
        service.delete(ResourceType.GROUP, id, Optional.empty());
    }

    /** A JSON array of member references. */
    static String members(List<String> ids) {
        ArrayNode array = Json.array();
        ids.forEach(id -> array.addObject().put("value", id));
        return array.toString();
    }

    static ObjectNode object(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("bad JSON literal in a test: " + json, e);
        }
    }

    private static ObjectNode patchOp(String operations) {
        ObjectNode body = Json.object();
        body.putArray("schemas").add(PATCH_OP);
        try {
            body.set("Operations", Json.MAPPER.readTree(operations));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("bad JSON literal in a test: " + operations, e);
        }
        return body;
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
