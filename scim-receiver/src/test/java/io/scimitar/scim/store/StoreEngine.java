package io.scimitar.scim.store;

import io.scimitar.scim.service.DirectorySettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The engines a store test runs on, for {@code @EnumSource(StoreEngine.class)}: a SQLite file in the
 * test's folder, or a fresh database in the shared PostgreSQL test cluster.
 */
enum StoreEngine {
    SQLITE {
        @Override
        JdbcStore store(Path dir) {
            return Fixtures.open(dir);
        }

        @Override
        Directory directory(Path dir) {
            return Directory.open(dir);
        }
    },
    POSTGRESQL {
        @Override
        JdbcStore store(Path dir) {
            return JdbcStore.open(PostgresServer.sharedCluster().createDatabase(), true, Fixtures.CLOCK);
        }

        @Override
        Directory directory(Path dir) {
            return Directory.openPostgres(PostgresSettings.of(PostgresServer.sharedCluster().createDatabase(),
                    Optional.empty(), Optional.empty()), DirectorySettings.DEFAULT);
        }
    };

    /** A new, empty store (group display names unique, the fixed clock of {@link Fixtures}). */
    abstract JdbcStore store(Path dir);

    /** A new, empty directory with the default settings. */
    abstract Directory directory(Path dir);
}
