package io.scimitar.scim.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Where a {@link JdbcStore} gets its connections: two pinned connections for an embedded SQLite
 * file, a pool for a PostgreSQL server shared by several receivers.
 */
sealed interface ConnectionSource extends AutoCloseable permits ConnectionSource.Pinned, ConnectionSource.Pooled {

    @FunctionalInterface
    interface SqlFunction<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on a connection for writing; the store serialises the calls. */
    <T> T withWriter(SqlFunction<T> work) throws SQLException;

    /** Runs {@code work} on a connection for reading; may be called from many threads at once. */
    <T> T withReader(SqlFunction<T> work) throws SQLException;

    /**
     * Runs {@code work} on a connection no other reader shares, for a long read (a streamed
     * snapshot) that must hold up neither the other reads nor the writer.
     */
    <T> T withOwnReader(SqlFunction<T> work) throws SQLException;

    /** Points Flyway at this database. */
    FluentConfiguration migrateThrough(FluentConfiguration flyway);

    @Override
    void close();

    /**
     * One writer and one reader connection, each used by one thread at a time: SQLite allows one
     * writer per file anyway, and WAL lets the reader go on while it commits.
     */
    final class Pinned implements ConnectionSource {
        private final String url;
        private final Dialect dialect;
        private final Connection writer;
        private final Connection reader;
        private final ReentrantLock readLock = new ReentrantLock();

        Pinned(String url, Dialect dialect) throws SQLException {
            this.url = url;
            this.dialect = dialect;
            this.writer = connect(url, dialect);
            try {
                this.reader = connect(url, dialect);
            } catch (SQLException e) {
                writer.close();
                throw e;
            }
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

        @Override
        public <T> T withWriter(SqlFunction<T> work) throws SQLException {
            return work.apply(writer);
        }

        @Override
        public <T> T withReader(SqlFunction<T> work) throws SQLException {
            readLock.lock();
            try {
                return work.apply(reader);
            } finally {
                readLock.unlock();
            }
        }

        @Override
        public <T> T withOwnReader(SqlFunction<T> work) throws SQLException {
            try (Connection connection = connect(url, dialect)) {
                return work.apply(connection);
            }
        }

        @Override
        public FluentConfiguration migrateThrough(FluentConfiguration flyway) {
            // Flyway opens its own short-lived connection on the file (WAL is a setting of the file).
            return flyway.dataSource(url, null, null);
        }

        @Override
        public void close() {
            readLock.lock();
            try {
                SQLException failure = null;
                for (Connection c : new Connection[] {reader, writer}) {
                    try {
                        c.close();
                    } catch (SQLException e) {
                        failure = e;
                    }
                }
                if (failure != null) {
                    throw JdbcStore.unavailable(failure);
                }
            } finally {
                readLock.unlock();
            }
        }
    }

    /** A HikariCP pool: a broken connection (server restarted) is dropped and replaced on the next borrow. */
    final class Pooled implements ConnectionSource {
        private final HikariDataSource pool;
        private final PostgresLogin login;

        Pooled(HikariDataSource pool, PostgresLogin login) {
            this.pool = pool;
            this.login = login;
        }

        @Override
        public <T> T withWriter(SqlFunction<T> work) throws SQLException {
            return withReader(work);
        }

        @Override
        public <T> T withReader(SqlFunction<T> work) throws SQLException {
            Connection borrowed;
            try {
                borrowed = pool.getConnection();
            } catch (SQLException e) {
                throw login.explainRefusal(e);
            }
            try (Connection connection = borrowed) {
                return work.apply(connection);
            }
        }

        @Override
        public <T> T withOwnReader(SqlFunction<T> work) throws SQLException {
            return withReader(work); // a pooled connection is this reader's alone while borrowed
        }

        @Override
        public FluentConfiguration migrateThrough(FluentConfiguration flyway) {
            return flyway.dataSource(pool);
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
