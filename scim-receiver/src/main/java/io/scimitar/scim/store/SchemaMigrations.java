package io.scimitar.scim.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the schema this build understands, with Flyway and the scripts in
 * {@code db/scimitar} (the same scripts for SQLite and PostgreSQL). A database created before
 * Flyway (a {@code schema_version} table holding 1) is baselined at version 1, keeping its data.
 */
final class SchemaMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);
    static final String LOCATION = "classpath:db/scimitar";

    private SchemaMigrations() {
    }

    static void migrate(ConnectionSource connections, Dialect dialect, boolean groupDisplayNameUnique)
            throws SQLException {
        Flyway flyway = connections.migrateThrough(Flyway.configure(SchemaMigrations.class.getClassLoader()))
                .locations(LOCATION)
                .baselineVersion("1")
                .baselineDescription("schema_version 1, created before Flyway")
                // No pattern: a migration applied by a newer build and unknown here fails validation,
                // rather than this build running on a schema it does not understand.
                .ignoreMigrationPatterns(new String[0])
                .load();
        try {
            if (connections.withWriter(SchemaMigrations::isPreFlyway)) {
                flyway.baseline();
            }
            MigrateResult result = flyway.migrate();
            LOG.atInfo().setMessage("store schema ready").addKeyValue("event", "store_schema_migrated")
                    .addKeyValue("from", result.initialSchemaVersion == null ? "empty" : result.initialSchemaVersion)
                    .addKeyValue("to", result.targetSchemaVersion == null ? result.initialSchemaVersion
                            : result.targetSchemaVersion)
                    .addKeyValue("applied", result.migrationsExecuted).log();
        } catch (FlywayException e) {
            throw new IllegalStateException("cannot migrate the database schema: " + e.getMessage(), e);
        }
        connections.withWriter(c -> {
            indexGroupDisplayNames(c, dialect, groupDisplayNameUnique);
            return null;
        });
    }

    /** A database made by the builds before Flyway: {@code schema_version} and no Flyway history. */
    private static boolean isPreFlyway(Connection connection) throws SQLException {
        try {
            if (!hasTable(connection, "schema_version") || hasTable(connection, "flyway_schema_history")) {
                return false;
            }
            long version;
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                version = rs.getLong(1);
            }
            if (version != 1) {
                throw new IllegalStateException("the database's schema_version is " + version
                        + "; this build can only take over a version 1 database");
            }
            return true;
        } finally {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        }
    }

    private static boolean hasTable(Connection connection, String name) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rs = meta.getTables(null, null, name, new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    /**
     * The uniqueness of group names is configuration, so the index follows the setting at every
     * start; it is rebuilt only when the setting changed, and turning it on over duplicate names
     * fails here, naming the cause.
     */
    private static void indexGroupDisplayNames(Connection connection, Dialect dialect, boolean unique)
            throws SQLException {
        dialect.beginWrite(connection);
        try {
            Boolean existingUnique = null;
            try (ResultSet rs = connection.getMetaData().getIndexInfo(null, null, "groups", false, false)) {
                while (rs.next()) {
                    if ("groups_display_name".equalsIgnoreCase(rs.getString("INDEX_NAME"))) {
                        existingUnique = !rs.getBoolean("NON_UNIQUE");
                    }
                }
            }
            if (existingUnique == null || existingUnique != unique) {
                try (Statement st = connection.createStatement()) {
                    st.execute("DROP INDEX IF EXISTS groups_display_name");
                    st.execute("CREATE " + (unique ? "UNIQUE " : "")
                            + "INDEX groups_display_name ON groups (display_name_lower)");
                }
            }
            dialect.commit(connection);
        } catch (SQLException | RuntimeException e) {
            dialect.rollback(connection);
            throw e;
        }
    }
}
