package io.scimitar.scim.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The directory's durable store: users, groups, memberships and the change log in one JDBC database
 * (an embedded SQLite file, or a PostgreSQL database that several receivers share). Every write is
 * one transaction that folds its {@link ChangeEvent}s into the tables and appends them to
 * {@code change_log} under the next version; writers are serialised (in-process by a lock, across
 * receivers by the database), and each change reaches the {@link #changeLog()} subscribers after
 * commit, those of other receivers included. Methods block.
 */
public final class JdbcStore implements AutoCloseable {

    /** Rows per round trip when streaming a snapshot (PostgreSQL streams with autocommit off; SQLite steps row by row anyway). */
    private static final int STREAM_FETCH_SIZE = 1000;

    private final Dialect dialect;
    private final Clock clock;
    private final ConnectionSource connections;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final JdbcChangeLog changeLog = new JdbcChangeLog(this);
    private final Optional<ChangeFollower> follower;

    private JdbcStore(ConnectionSource connections, Dialect dialect, Clock clock, boolean groupDisplayNameUnique,
                      Optional<PostgresLogin> postgres) throws SQLException {
        this.dialect = dialect;
        this.clock = clock;
        this.connections = connections;
        try {
            SchemaMigrations.migrate(connections, dialect, groupDisplayNameUnique);
            changeLog.startAt(currentVersion());
        } catch (SQLException | RuntimeException e) {
            connections.close();
            throw e;
        }
        this.follower = postgres.map(login -> new ChangeFollower(login, changeLog));
        follower.ifPresent(ChangeFollower::start);
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

    /**
     * Opens the database at a JDBC URL ({@code jdbc:sqlite:PATH}, or {@code jdbc:postgresql:} with
     * any credentials in the URL and the default pool) and brings its schema up to date.
     */
    public static JdbcStore open(String jdbcUrl, boolean groupDisplayNameUnique, Clock clock) {
        return switch (Dialect.of(jdbcUrl)) {
            case SQLITE -> {
                try {
                    yield new JdbcStore(new ConnectionSource.Pinned(jdbcUrl, Dialect.SQLITE), Dialect.SQLITE, clock,
                            groupDisplayNameUnique, Optional.empty());
                } catch (SQLException e) {
                    throw unavailable(e);
                }
            }
            case POSTGRESQL -> openPostgres(PostgresSettings.of(jdbcUrl, Optional.empty(), Optional.empty()),
                    groupDisplayNameUnique, clock);
        };
    }

    /**
     * Opens a PostgreSQL database shared with other receivers: a connection pool, the schema brought
     * up to date (Flyway serialises receivers that start together), and a follower that brings the
     * other receivers' changes to this store's subscribers.
     */
    public static JdbcStore openPostgres(PostgresSettings settings, boolean groupDisplayNameUnique, Clock clock) {
        PostgresLogin login = new PostgresLogin(settings);
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("scimitar-store");
        pool.setJdbcUrl(settings.jdbcUrl());
        pool.setCredentialsProvider(login);
        settings.connectionProperties().forEach((k, v) -> pool.addDataSourceProperty((String) k, v));
        pool.setMaximumPoolSize(settings.maxPoolSize());
        pool.setMinimumIdle(1);
        pool.setAutoCommit(false);
        // A request waits this long for a connection before it becomes a 503 the IdP retries.
        pool.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(pool);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() instanceof SQLException sql ? login.explainRefusal(sql)
                    : e.getCause() != null ? e.getCause() : e;
            throw new StoreUnavailableException("cannot connect to " + settings.jdbcUrl() + ": " + cause.getMessage(), e);
        }
        try {
            return new JdbcStore(new ConnectionSource.Pooled(dataSource, login), Dialect.POSTGRESQL, clock,
                    groupDisplayNameUnique, Optional.of(login));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** How long a request waits for a pooled connection. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

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
            Written<T> written;
            try {
                written = connections.withWriter(c -> writeIn(c, work));
            } catch (SQLException e) {
                if (dialect.isUniqueViolation(e)) {
                    throw ScimException.uniqueness(e.getMessage() != null && e.getMessage().contains("groups")
                            ? "a group with this displayName already exists"
                            : "a user with this userName already exists");
                }
                throw unavailable(e);
            }
            written.change().ifPresent(changeLog::publishCommitted);
            return written.result();
        } finally {
            writeLock.unlock();
        }
    }

    private record Written<T>(T result, Optional<Change> change) {
    }

    private <T> Written<T> writeIn(Connection connection, Work<T> work) throws SQLException {
        boolean open = false;
        try {
            dialect.beginWrite(connection);
            open = true;
            long version = maxVersion(connection) + 1;
            StoreTransaction tx = new StoreTransaction(connection, version,
                    clock.instant().truncatedTo(ChronoUnit.MILLIS));
            T result = work.run(tx);
            if (tx.events().isEmpty()) {
                return new Written<>(result, Optional.empty());
            }
            tx.applyEvents();
            Change change = new Change(version, tx.now(), tx.events());
            try (PreparedStatement st = connection.prepareStatement(
                    "INSERT INTO change_log (version, committed_at, events) VALUES (?, ?, ?)")) {
                st.setLong(1, version);
                st.setString(2, change.committedAt().toString());
                st.setString(3, ChangeCodec.encodeEvents(change.events()));
                st.executeUpdate();
            }
            dialect.announce(connection, version);
            dialect.commit(connection);
            open = false;
            return new Written<>(result, Optional.of(change));
        } finally {
            if (open) {
                rollbackQuietly(connection);
            }
        }
    }

    /**
     * Runs {@code action} while no write of this store commits and no change reaches the subscribers:
     * used to load a view at version V and subscribe to the changes after it with nothing slipping in
     * between. (Another receiver may commit meanwhile; the view then starts past the last published
     * version, and the subscriber skips what it already holds.)
     */
    public <T> T withoutWrites(Supplier<T> action) {
        writeLock.lock();
        try {
            return changeLog.withoutPublishing(action);
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

        /** Every group comes before the first user. */
        void group(ObjectNode group);

        /** A user and the ids of the groups it is a direct member of (nested groups are not members here). */
        void user(ObjectNode user, List<String> groupIds);
    }

    /**
     * Like {@link #snapshot()}, but hands each row to {@code visitor} as it is read instead of
     * collecting them: memory stays flat whatever the directory's size. It reads on a connection of
     * its own, so a slow visitor holds up neither the other reads nor the writer (WAL). An exception
     * from the visitor ends the read and propagates.
     */
    public void streamSnapshot(SnapshotVisitor visitor) {
        try {
            connections.withOwnReader(connection -> transaction(connection, dialect::beginRead, c -> {
                visitor.version(maxVersion(c));
                try (Statement st = c.createStatement()) {
                    st.setFetchSize(STREAM_FETCH_SIZE);
                    try (ResultSet rs = st.executeQuery("SELECT resource FROM groups ORDER BY id")) {
                        while (rs.next()) {
                            visitor.group(parseResource(rs.getString(1)));
                        }
                    }
                    // Each user with its groups as one JSON array, from the (member_id, member_type,
                    // group_id) index: the join is the database's, and a user's row is read once.
                    try (ResultSet rs = st.executeQuery("SELECT u.resource, (SELECT "
                            + dialect.jsonArrayOf("m.group_id") + " FROM group_members m WHERE m.member_id = u.id"
                            + " AND m.member_type = 'User') FROM users u ORDER BY u.id")) {
                        while (rs.next()) {
                            visitor.user(parseResource(rs.getString(1)), parseIds(rs.getString(2)));
                        }
                    }
                }
                return null;
            }));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** What one {@link #compactChangeLog(Instant)} did: the rows it removed and the log's oldest version after it. */
    public record Compaction(long removed, long oldestVersion) {
    }

    /**
     * Deletes the changes committed before {@code cutoff} from the start of the log, and always keeps
     * the newest one (the next version is MAX + 1, and {@link ChangeLog#currentVersion()} reads it). It
     * removes a prefix only, stopping at the first change that is not older, so the log stays one
     * range without holes. Each batch is one short write transaction ({@code DELETE ... WHERE version < bound}),
     * so a huge backlog never holds the write lock for long, and several receivers compacting at once
     * each delete what the others left, or nothing.
     */
    public Compaction compactChangeLog(Instant cutoff) {
        long removed = 0;
        while (true) {
            CompactionBatch batch = writeTransaction(c -> compactBatch(c, cutoff));
            removed += batch.removed();
            if (batch.last()) {
                return new Compaction(removed, oldestVersion());
            }
        }
    }

    /** Rows per compaction transaction. */
    static final int COMPACTION_BATCH = 1000;

    private record CompactionBatch(long removed, boolean last) {
    }

    private static CompactionBatch compactBatch(Connection connection, Instant cutoff) throws SQLException {
        long bound = Long.MIN_VALUE;
        int rows = 0;
        boolean reachedNewer = false;
        try (PreparedStatement st = connection.prepareStatement("SELECT version, committed_at FROM change_log"
                + " WHERE version < (SELECT MAX(version) FROM change_log) ORDER BY version LIMIT ?")) {
            st.setInt(1, COMPACTION_BATCH);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    // Parsed, not compared as TEXT: Instant.toString drops a zero fraction ("…:12Z" sorts after "…:12.5Z").
                    if (!Instant.parse(rs.getString(2)).isBefore(cutoff)) {
                        reachedNewer = true;
                        break;
                    }
                    bound = rs.getLong(1) + 1;
                }
            }
        }
        long removed = 0;
        if (bound != Long.MIN_VALUE) {
            try (PreparedStatement st = connection.prepareStatement("DELETE FROM change_log WHERE version < ?")) {
                st.setLong(1, bound);
                removed = st.executeUpdate();
            }
        }
        return new CompactionBatch(removed, reachedNewer || rows < COMPACTION_BATCH);
    }

    /** Runs {@code work} in a write transaction that appends no change (the in-process and database write locks held). */
    private <T> T writeTransaction(ConnectionSource.SqlFunction<T> work) {
        writeLock.lock();
        try {
            return connections.withWriter(connection -> transaction(connection, dialect::beginWrite, work));
        } catch (SQLException e) {
            throw unavailable(e);
        } finally {
            writeLock.unlock();
        }
    }

    long currentVersion() {
        return read(JdbcStore::maxVersion);
    }

    List<Change> readAfter(long afterVersion, int limit) {
        return read(connection -> readAfter(connection, afterVersion, limit));
    }

    long oldestVersion() {
        return read(connection -> {
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT MIN(version), COALESCE(MAX(version), 0) FROM change_log")) {
                rs.next();
                long oldest = rs.getLong(1);
                return rs.wasNull() ? rs.getLong(2) + 1 : oldest;
            }
        });
    }

    /** Up to {@code limit} changes after {@code afterVersion}, in one statement on {@code connection}. */
    static List<Change> readAfter(Connection connection, long afterVersion, int limit) {
        if (limit <= 0) {
            return List.of();
        }
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
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return changes;
    }

    private <T> T read(ConnectionSource.SqlFunction<T> query) {
        try {
            return connections.withReader(connection -> transaction(connection, dialect::beginRead, query));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Runs {@code work} in one transaction on {@code connection}, started by {@code begin} (a read
     * sees one snapshot throughout; a write holds the write lock) and committed when it returns;
     * rolled back if it throws.
     */
    private <T> T transaction(Connection connection, SqlAction begin, ConnectionSource.SqlFunction<T> work)
            throws SQLException {
        boolean open = false;
        try {
            begin.run(connection);
            open = true;
            T result = work.apply(connection);
            dialect.commit(connection);
            open = false;
            return result;
        } finally {
            if (open) {
                rollbackQuietly(connection);
            }
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run(Connection connection) throws SQLException;
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

    /** A JSON array of ids as {@link Dialect#jsonArrayOf} builds it. */
    private static List<String> parseIds(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (node instanceof ArrayNode array) {
                List<String> ids = new ArrayList<>(array.size());
                for (JsonNode id : array) {
                    ids.add(id.asText());
                }
                return ids;
            }
        } catch (JsonProcessingException e) {
            throw new StoreUnavailableException("the store returned a malformed list of group ids", e);
        }
        throw new StoreUnavailableException("the store returned a malformed list of group ids: not an array", null);
    }

    static StoreUnavailableException unavailable(SQLException e) {
        return new StoreUnavailableException("database failure: " + e.getMessage(), e);
    }

    private void rollbackQuietly(Connection connection) {
        try {
            dialect.rollback(connection);
        } catch (SQLException ignored) {
            // The read or write failed already; that failure is the one reported.
        }
    }

    @Override
    public void close() {
        follower.ifPresent(ChangeFollower::close);
        writeLock.lock();
        try {
            connections.close();
        } finally {
            writeLock.unlock();
        }
    }
}
