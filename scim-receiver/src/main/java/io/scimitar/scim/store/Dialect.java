package io.scimitar.scim.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What differs between the SQL engines the {@link JdbcStore} runs on: connection settings, how a
 * write transaction starts, and how a unique-constraint violation is recognised. Everything else
 * (schema, queries) is shared SQL that both SQLite and PostgreSQL accept.
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
        boolean isUniqueViolation(SQLException e) {
            // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555) extend SQLITE_CONSTRAINT (19).
            return e.getErrorCode() == 19 || e.getErrorCode() == 2067 || e.getErrorCode() == 1555
                    || (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed"));
        }
    };

    static final int BUSY_TIMEOUT_MILLIS = 10_000;

    /** Applies per-connection settings right after the connection is opened. */
    abstract void configure(Connection connection) throws SQLException;

    abstract void beginWrite(Connection connection) throws SQLException;

    abstract void beginRead(Connection connection) throws SQLException;

    abstract void commit(Connection connection) throws SQLException;

    abstract void rollback(Connection connection) throws SQLException;

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
        throw new IllegalArgumentException("unsupported JDBC URL (expected jdbc:sqlite:PATH): " + jdbcUrl);
    }

    /**
     * Schema version 1, in SQL both engines accept: TEXT and BIGINT columns, booleans as BIGINT 0/1,
     * timestamps as ISO-8601 TEXT. The group display-name index is created separately because its
     * uniqueness is configurable.
     */
    static final List<String> SCHEMA_V1 = List.of(
            """
            CREATE TABLE users (
              id TEXT PRIMARY KEY,
              user_name TEXT NOT NULL,
              user_name_lower TEXT NOT NULL UNIQUE,
              external_id TEXT,
              active BIGINT NOT NULL,
              version BIGINT NOT NULL,
              created TEXT NOT NULL,
              last_modified TEXT NOT NULL,
              resource TEXT NOT NULL)""",
            "CREATE INDEX users_external_id ON users (external_id)",
            """
            CREATE TABLE groups (
              id TEXT PRIMARY KEY,
              display_name TEXT NOT NULL,
              display_name_lower TEXT NOT NULL,
              external_id TEXT,
              version BIGINT NOT NULL,
              created TEXT NOT NULL,
              last_modified TEXT NOT NULL,
              resource TEXT NOT NULL)""",
            "CREATE INDEX groups_external_id ON groups (external_id)",
            """
            CREATE TABLE group_members (
              group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
              member_id TEXT NOT NULL,
              member_type TEXT NOT NULL,
              PRIMARY KEY (group_id, member_id))""",
            "CREATE INDEX group_members_member ON group_members (member_id)",
            """
            CREATE TABLE change_log (
              version BIGINT PRIMARY KEY,
              committed_at TEXT NOT NULL,
              events TEXT NOT NULL)""");
}
