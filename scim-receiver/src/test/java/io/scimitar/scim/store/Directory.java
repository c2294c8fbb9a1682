package io.scimitar.scim.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.DirectoryService;
import io.scimitar.scim.service.DirectorySettings;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.service.ScimResource;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A real directory for tests: a SQLite file or a PostgreSQL database, the store, a view following
 * it and the service on top, with a clock that advances one second per write so timestamps are
 * distinct and deterministic.
 */
public final class Directory implements AutoCloseable {

    public static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    public static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private final Supplier<JdbcStore> opener;
    private final DirectorySettings settings;
    private JdbcStore store;
    private DirectoryView view;
    private DirectoryService service;

    private Directory(Supplier<JdbcStore> opener, DirectorySettings settings) {
        this.opener = opener;
        this.settings = settings;
        start();
    }

    public static Directory open(Path dir) {
        return open(dir, DirectorySettings.DEFAULT);
    }

    public static Directory open(Path dir, DirectorySettings settings) {
        return open(dir, settings, new TickingClock(Instant.parse("2026-11-28T10:00:00Z")));
    }

    /** A directory whose store reads {@code clock}: the system clock for tests that compare with real time. */
    public static Directory open(Path dir, DirectorySettings settings, Clock clock) {
        Path file = dir.resolve("directory.db");
        return new Directory(() -> JdbcStore.openSqlite(file, settings.groupDisplayNameUnique(), clock), settings);
    }

    /** A directory on a PostgreSQL database: one receiver of a fleet when several open the same URL. */
    public static Directory openPostgres(PostgresSettings postgres, DirectorySettings settings) {
        Clock clock = new TickingClock(Instant.parse("2026-11-28T10:00:00Z"));
        return new Directory(() -> JdbcStore.openPostgres(postgres, settings.groupDisplayNameUnique(), clock), settings);
    }

    private void start() {
        store = opener.get();
        view = DirectoryView.follow(store);
        service = new DirectoryService(store, view, settings);
    }

    /** Closes everything and opens the same file again, as a restarted receiver would. */
    public Directory reopen() {
        close();
        start();
        return this;
    }

    public JdbcStore store() {
        return store;
    }

    public DirectoryView view() {
        return view;
    }

    public DirectoryService service() {
        return service;
    }

    public ChangeLog log() {
        return store.changeLog();
    }

    public List<Change> allChanges() {
        return store.changeLog().readAfter(0, Integer.MAX_VALUE);
    }

    public long version() {
        return store.changeLog().currentVersion();
    }

    /** The groups the view says {@code memberId} is a direct member of (a copy). */
    public java.util.Set<String> groupsOf(String memberId) {
        return view.read(r -> java.util.Set.copyOf(r.groupsOf(memberId)));
    }

    /** The members the view holds for a group: id to type (a copy). */
    public java.util.Map<String, String> membersOf(String groupId) {
        return view.read(r -> java.util.Map.copyOf(r.members(groupId)));
    }

    public ScimResource createUser(String userName) {
        return service.create(ResourceType.USER, object("""
                {"schemas":["%s"],"userName":"%s"}""".formatted(USER_SCHEMA, userName)), Projection.DEFAULT);
    }

    public ScimResource createUser(ObjectNode body) {
        return service.create(ResourceType.USER, body, Projection.DEFAULT);
    }

    public ScimResource createGroup(String displayName, String... memberIds) {
        ObjectNode body = object("""
                {"schemas":["%s"],"displayName":"%s"}""".formatted(GROUP_SCHEMA, displayName));
        if (memberIds.length > 0) {
            var members = body.putArray("members");
            for (String id : memberIds) {
                members.addObject().put("value", id);
            }
        }
        return service.create(ResourceType.GROUP, body, Projection.DEFAULT);
    }

    /** PATCH with the given JSON array of operations. */
    public ScimResource patch(ResourceType type, String id, String operations) {
        return service.patch(type, id, patchOp(operations), Optional.empty(), Projection.DEFAULT);
    }

    public ScimResource getGroup(String id) {
        return service.get(ResourceType.GROUP, id, Projection.DEFAULT);
    }

    public ScimResource getUser(String id) {
        return service.get(ResourceType.USER, id, Projection.DEFAULT);
    }

    /** Everything observable at once: the view, the tables and the log, to compare before and after. */
    public record State(DirectoryView.Dump view, DirectoryView.Dump tables, List<String> log, long version) {
    }

    public State state() {
        return new State(view.dump(), DirectoryView.load(store).dump(),
                allChanges().stream().map(ChangeCodec::encode).toList(), version());
    }

    /** Runs a write that must fail as a SCIM error, and returns the error. */
    public static ScimException scimError(Runnable write) {
        try {
            write.run();
        } catch (ScimException e) {
            return e;
        }
        throw new AssertionError("expected a ScimException");
    }

    public static ObjectNode patchOp(String operations) {
        ObjectNode body = Json.object();
        body.putArray("schemas").add(PATCH_OP);
        body.set("Operations", parse(operations));
        return body;
    }

    public static ObjectNode object(String json) {
        return (ObjectNode) parse(json);
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("bad JSON literal in a test: " + json, e);
        }
    }

    @Override
    public void close() {
        view.close();
        store.close();
    }

    /** A clock that moves one second forward every time it is read. */
    public static final class TickingClock extends Clock {
        private final Instant start;
        private final AtomicLong ticks = new AtomicLong();

        TickingClock(Instant start) {
            this.start = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return start.plusSeconds(ticks.getAndIncrement());
        }
    }
}
