package io.scimitar.scim.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The directory's durable store: users, groups, memberships and the change log in one JDBC database.
 * Every write is one transaction that folds its {@link ChangeEvent}s into the tables and appends them
 * to {@code change_log} under the next version; writes are serialised through one writer connection,
 * and the change is published to the {@link #changeLog()} subscribers after commit. Methods block.
 */
public final class JdbcStore implements AutoCloseable {

    /** The schema version this build creates and understands; later builds migrate forward from it. */
    public static final int SCHEMA_VERSION = 1;
    /** Rows per round trip when streaming a snapshot (a hint; SQLite steps row by row anyway). */
    private static final int STREAM_FETCH_SIZE = 1000;

    private final String url;
    private final Dialect dialect;
    private final Clock clock;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final Connection reader;
    private final ReentrantLock readLock = new ReentrantLock();
    private final JdbcChangeLog changeLog = new JdbcChangeLog(this);

    private JdbcStore(String url, Dialect dialect, Clock clock, boolean groupDisplayNameUnique) throws SQLException {
        this.url = url;
        this.dialect = dialect;
        this.clock = clock;
        this.writer = connect(url, dialect);
        try {
            this.reader = connect(url, dialect);
            migrate(groupDisplayNameUnique);
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Opens (creating if needed) the SQLite database in {@code file}, and its parent directories. */
    public static JdbcStore openSqlite(Path file, boolean groupDisplayNameUnique, Clock clock) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + file, e);
        }
        return open("jdbc:sqlite:" + file.toAbsolutePath(), groupDisplayNameUnique, clock);
    }

    /** Opens the database at a JDBC URL and creates or checks its schema. */
    public static JdbcStore open(String jdbcUrl, boolean groupDisplayNameUnique, Clock clock) {
        try {
            return new JdbcStore(jdbcUrl, Dialect.of(jdbcUrl), clock, groupDisplayNameUnique);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    public ChangeLog changeLog() {
        return changeLog;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The work of one write: reads through the transaction, appends events, returns a result. */
    @FunctionalInterface
    public interface Work<T> {
        T run(StoreTransaction tx);
    }

    /**
     * Runs {@code work} in one write transaction and commits its events as the next version. A
     * {@link ScimException} from the work rolls back and propagates; a write that appended no event
     * commits nothing. Database failures are {@link StoreUnavailableException}s.
     */
    public <T> T write(Work<T> work) {
        writeLock.lock();
        try {
            boolean open = false;
            try {
                dialect.beginWrite(writer);
                open = true;
                long version = maxVersion(writer) + 1;
                StoreTransaction tx = new StoreTransaction(writer, version,
                        clock.instant().truncatedTo(ChronoUnit.MILLIS));
                T result = work.run(tx);
                if (tx.events().isEmpty()) {
                    dialect.rollback(writer);
                    return result;
                }
                tx.applyEvents();
                Change change = new Change(version, tx.now(), tx.events());
                try (PreparedStatement st = writer.prepareStatement(
                        "INSERT INTO change_log (version, committed_at, events) VALUES (?, ?, ?)")) {
                    st.setLong(1, version);
                    st.setString(2, change.committedAt().toString());
                    st.setString(3, ChangeCodec.encodeEvents(change.events()));
                    st.executeUpdate();
                }
                dialect.commit(writer);
                open = false;
                changeLog.publish(change);
                return result;
            } catch (SQLException e) {
                if (dialect.isUniqueViolation(e)) {
                    throw ScimException.uniqueness(e.getMessage() != null && e.getMessage().contains("groups")
                            ? "a group with this displayName already exists"
                            : "a user with this userName already exists");
                }
                throw unavailable(e);
            } finally {
                if (open) {
                    rollbackQuietly(writer);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code action} while no write can commit: used to load a view at version V and subscribe
     * to the changes after V with nothing slipping in between.
     */
    public <T> T withoutWrites(Supplier<T> action) {
        writeLock.lock();
        try {
            return action.get();
        } finally {
            writeLock.unlock();
        }
    }

    /** Everything in the tables, read in one transaction, and the version it reflects. */
    public record Snapshot(long version, List<ObjectNode> users, List<ObjectNode> groups, List<Membership> memberships) {
        public Snapshot {
            users = List.copyOf(users);
            groups = List.copyOf(groups);
            memberships = List.copyOf(memberships);
        }
    }

    /** One row of {@code group_members}. */
    public record Membership(String groupId, ChangeEvent.Member member) {
    }

    public Snapshot snapshot() {
        return read(connection -> {
            long version = maxVersion(connection);
            List<ObjectNode> users = resources(connection, "SELECT resource FROM users ORDER BY id");
            List<ObjectNode> groups = resources(connection, "SELECT resource FROM groups ORDER BY id");
            List<Membership> memberships = new ArrayList<>();
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery(
                         "SELECT group_id, member_id, member_type FROM group_members ORDER BY group_id, member_id")) {
                while (rs.next()) {
                    memberships.add(new Membership(rs.getString(1),
                            new ChangeEvent.Member(rs.getString(2), rs.getString(3))));
                }
            }
            return new Snapshot(version, users, groups, memberships);
        });
    }

    /** Receives the directory row by row from {@link #streamSnapshot}: the version first, then users, groups, memberships. */
    public interface SnapshotVisitor {
        void version(long version);

        void user(ObjectNode user);

        void group(ObjectNode group);

        /** One row of {@code group_members}; rows come ordered by group id, then member id. */
        void membership(String groupId, ChangeEvent.Member member);
    }

    /**
     * Like {@link #snapshot()}, but hands each row to {@code visitor} as it is read instead of
     * collecting them: memory stays flat whatever the directory's size. It reads on a connection of
     * its own, so a slow visitor holds up neither the other reads nor the writer (WAL). An exception
     * from the visitor ends the read and propagates.
     */
    public void streamSnapshot(SnapshotVisitor visitor) {
        try (Connection connection = connect(url, dialect)) {
            boolean open = false;
            try {
                dialect.beginRead(connection);
                open = true;
                visitor.version(maxVersion(connection));
                try (Statement st = connection.createStatement()) {
                    st.setFetchSize(STREAM_FETCH_SIZE);
                    try (ResultSet rs = st.executeQuery("SELECT resource FROM users ORDER BY id")) {
                        while (rs.next()) {
                            visitor.user(parseResource(rs.getString(1)));
                        }
                    }
                    try (ResultSet rs = st.executeQuery("SELECT resource FROM groups ORDER BY id")) {
                        while (rs.next()) {
                            visitor.group(parseResource(rs.getString(1)));
                        }
                    }
                    try (ResultSet rs = st.executeQuery(
                            "SELECT group_id, member_id, member_type FROM group_members ORDER BY group_id, member_id")) {
                        while (rs.next()) {
                            visitor.membership(rs.getString(1), new ChangeEvent.Member(rs.getString(2), rs.getString(3)));
                        }
                    }
                }
                dialect.commit(connection);
                open = false;
            } finally {
                if (open) {
                    rollbackQuietly(connection);
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    long currentVersion() {
        return read(JdbcStore::maxVersion);
    }

    List<Change> readAfter(long afterVersion, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return read(connection -> {
            List<Change> changes = new ArrayList<>();
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT version, committed_at, events FROM change_log WHERE version > ? ORDER BY version LIMIT ?")) {
                st.setLong(1, afterVersion);
                st.setInt(2, limit);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        changes.add(new Change(rs.getLong(1), Instant.parse(rs.getString(2)),
                                ChangeCodec.decodeEvents(rs.getString(3))));
                    }
                }
            }
            return changes;
        });
    }

    @FunctionalInterface
    private interface SqlFunction<T> {
        T apply(Connection connection) throws SQLException;
    }

    private <T> T read(SqlFunction<T> query) {
        readLock.lock();
        try {
            boolean open = false;
            try {
                dialect.beginRead(reader);
                open = true;
                T result = query.apply(reader);
                dialect.commit(reader);
                open = false;
                return result;
            } catch (SQLException e) {
                throw unavailable(e);
            } finally {
                if (open) {
                    rollbackQuietly(reader);
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    private void migrate(boolean groupDisplayNameUnique) throws SQLException {
        dialect.beginWrite(writer);
        try (Statement st = writer.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)");
            long current;
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                current = rs.getLong(1);
            }
            if (current > SCHEMA_VERSION) {
                throw new IllegalStateException("the database schema is version " + current
                        + ", newer than this build understands (" + SCHEMA_VERSION + ")");
            }
            if (current < 1) {
                for (String ddl : Dialect.SCHEMA_V1) {
                    st.execute(ddl);
                }
                st.execute("INSERT INTO schema_version (version) VALUES (1)");
            }
            // The uniqueness of group names is configuration, so the index follows the setting at
            // every start; turning it on over duplicate names fails here, naming the cause.
            st.execute("DROP INDEX IF EXISTS groups_display_name");
            st.execute("CREATE " + (groupDisplayNameUnique ? "UNIQUE " : "")
                    + "INDEX groups_display_name ON groups (display_name_lower)");
            dialect.commit(writer);
        } catch (SQLException | RuntimeException e) {
            dialect.rollback(writer);
            throw e;
        }
    }

    private static long maxVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM change_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<ObjectNode> resources(Connection connection, String sql) throws SQLException {
        List<ObjectNode> resources = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                resources.add(parseResource(rs.getString(1)));
            }
        }
        return resources;
    }

    static ObjectNode parseResource(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            throw new StoreUnavailableException("corrupt resource JSON in the store", e);
        }
        throw new StoreUnavailableException("corrupt resource JSON in the store: not an object", null);
    }

    static StoreUnavailableException unavailable(SQLException e) {
        return new StoreUnavailableException("database failure: " + e.getMessage(), e);
    }

    private static Connection connect(String url, Dialect dialect) throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        try {
            dialect.configure(connection);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private void rollbackQuietly(Connection connection) {
        try {
            dialect.rollback(connection);
        } catch (SQLException ignored) {
            // The read or write failed already; that failure is the one reported.
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // Opening failed; the opening failure is the one reported.
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        readLock.lock();
        try {
            SQLException failure = null;
            for (Connection c : new Connection[] {reader, writer}) {
                if (c == null) {
                    continue;
                }
                try {
                    c.close();
                } catch (SQLException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw unavailable(failure);
            }
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }
}
