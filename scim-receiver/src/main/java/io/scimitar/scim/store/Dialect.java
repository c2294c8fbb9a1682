package io.scimitar.scim.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What differs between the SQL engines the {@link JdbcStore} runs on: connection settings, how a
 * write transaction starts (and so how writers are serialised), how other stores hear of a commit,
 * how a unique-constraint violation is recognised, and how values aggregate into a JSON array.
 * Everything else (the migrations in {@code db/scimitar}, the queries) is shared SQL that both
 * SQLite and PostgreSQL accept.
 */
public enum Dialect {

    /** The embedded default: one file, one writer, WAL journal. */
    SQLITE {
        @Override
        void configure(Connection connection) throws SQLException {
            try (Statement st = connection.createStatement()) {
                // WAL lets readers proceed while the writer commits; synchronous=FULL fsyncs the WAL
                // on every commit, so an acknowledged write survives kill -9 and power loss.
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=FULL");
                st.execute("PRAGMA foreign_keys=ON");
                st.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MILLIS);
            }
            connection.setAutoCommit(true);
        }

        @Override
        void beginWrite(Connection connection) throws SQLException {
            // IMMEDIATE takes the write lock up front: a second writer (another process) waits on
            // busy_timeout instead of failing at commit with SQLITE_BUSY after reading stale data.
            execute(connection, "BEGIN IMMEDIATE");
        }

        @Override
        void beginRead(Connection connection) throws SQLException {
            // A deferred transaction pins one WAL snapshot for every SELECT until COMMIT.
            execute(connection, "BEGIN");
        }

        @Override
        void commit(Connection connection) throws SQLException {
            execute(connection, "COMMIT");
        }

        @Override
        void rollback(Connection connection) throws SQLException {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                return;
            }
            try {
                execute(connection, "ROLLBACK");
            } catch (SQLException noTransaction) {
                // "cannot rollback - no transaction is active": BEGIN itself failed, nothing to undo.
            }
        }

        @Override
        String jsonArrayOf(String column) {
            return "json_group_array(" + column + ")";
        }

        @Override
        boolean isUniqueViolation(SQLException e) {
            // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555) extend SQLITE_CONSTRAINT (19).
            return e.getErrorCode() == 19 || e.getErrorCode() == 2067 || e.getErrorCode() == 1555
                    || (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed"));
        }
    },

    /**
     * The fleet: several receivers on one database, each with a connection pool. Connections run
     * with auto-commit off, so a transaction starts with its first statement.
     */
    POSTGRESQL {
        @Override
        void configure(Connection connection) throws SQLException {
            connection.setAutoCommit(false);
        }

        @Override
        void beginWrite(Connection connection) throws SQLException {
            // Every write of every receiver holds this lock from its first read to its commit: the
            // version it takes (MAX + 1) is then the next one in commit order, so a reader of
            // change_log never sees version V+1 before V, and a PATCH's read-modify-write cannot
            // interleave with another receiver's write (read committed sees the last commit).
            try (PreparedStatement st = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                st.setLong(1, WRITE_LOCK_KEY);
                st.execute();
            }
        }

        @Override
        void beginRead(Connection connection) throws SQLException {
            // One snapshot for every SELECT of the read (the snapshot's version and its tables agree).
            execute(connection, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }

        @Override
        void announce(Connection connection, long version) throws SQLException {
            // Delivered to the listeners at commit, and only if the transaction commits.
            try (PreparedStatement st = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                st.setString(1, NOTIFY_CHANNEL);
                st.setString(2, Long.toString(version));
                st.execute();
            }
        }

        @Override
        void commit(Connection connection) throws SQLException {
            connection.commit();
        }

        @Override
        void rollback(Connection connection) throws SQLException {
            connection.rollback();
        }

        @Override
        String jsonArrayOf(String column) {
            return "COALESCE(json_agg(" + column + "), '[]'::json)::text";
        }

        @Override
        boolean isUniqueViolation(SQLException e) {
            return "23505".equals(e.getSQLState());
        }
    };

    /** The PostgreSQL NOTIFY channel on which each commit announces its version. */
    static final String NOTIFY_CHANNEL = "scimitar_changes";

    /** The advisory lock that serialises writers across receivers ("SCIMITAR" in ASCII). */
    static final long WRITE_LOCK_KEY = 0x5343494D49544152L;

    static final int BUSY_TIMEOUT_MILLIS = 10_000;

    /** Applies per-connection settings right after the connection is opened. */
    abstract void configure(Connection connection) throws SQLException;

    abstract void beginWrite(Connection connection) throws SQLException;

    abstract void beginRead(Connection connection) throws SQLException;

    /** Tells other stores on the database, at commit, that {@code version} was written. */
    void announce(Connection connection, long version) throws SQLException {
        // SQLite has no other stores to tell: one process owns the file.
    }

    abstract void commit(Connection connection) throws SQLException;

    abstract void rollback(Connection connection) throws SQLException;

    /** An aggregate of {@code column}'s values as a JSON array text, {@code []} when there are none. */
    abstract String jsonArrayOf(String column);

    abstract boolean isUniqueViolation(SQLException e);

    /** Runs one statement that returns nothing (transaction control) on its own short-lived Statement. */
    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    /** The dialect of a JDBC URL. */
    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException(
                "unsupported JDBC URL (expected jdbc:sqlite:PATH or jdbc:postgresql://HOST:PORT/DATABASE): " + jdbcUrl);
    }
}
