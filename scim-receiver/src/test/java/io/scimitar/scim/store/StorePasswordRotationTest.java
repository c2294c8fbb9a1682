package io.scimitar.scim.store;

import static io.scimitar.scim.store.Fixtures.commit;
import static io.scimitar.scim.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scimitar.scim.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose password comes from a file follows a rotation (the file rewritten, the old password
 * revoked) without a restart, and a refused password names the file but never shows the secret.
 */
class StorePasswordRotationTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.ownClusterWithPasswords();

    private static final AtomicInteger ROLES = new AtomicInteger();
    /** The schema migration holds two connections at once. */
    private static final int POOL = 2;

    @TempDir
    Path folder;

    @Test
    void newConnectionsUseTheRotatedPasswordInTheFile() throws Exception {
        Login login = newLogin("first-s3cret");
        Path file = Files.writeString(folder.resolve("password"), "first-s3cret\n");
        PostgresSettings settings = login.withPasswordFile(file).withMaxPoolSize(POOL);
        try (JdbcStore store = JdbcStore.openPostgres(settings, true, Fixtures.CLOCK)) {
            assertThat(commit(store, new ChangeEvent.UserUpserted(user("u1", "alice", true)))).isEqualTo(1);

            admin("ALTER ROLE " + login.role() + " PASSWORD 'second-s3cret'");
            Files.writeString(file, "second-s3cret\n");
            terminateBackendsOf(login.role());

            // The pool's connections were killed: a write may still meet one (as after any server
            // restart) and evict it; once they are gone a write must go through a connection opened
            // with the file's new password, or it times out as unavailable.
            long version = writePastKilledConnections(store);
            assertThat(version).isEqualTo(2);
            assertThat(DirectoryView.load(store).dump().users()).containsOnlyKeys("u1", "u2");
        }
    }

    @Test
    void aWrongPasswordInTheFileFailsTheStartNamingTheFileNotTheSecret() throws Exception {
        Login login = newLogin("right-s3cret");
        Path file = Files.writeString(folder.resolve("password"), "wrong-s3cret\n");
        assertThatThrownBy(() -> JdbcStore.openPostgres(login.withPasswordFile(file), true, Fixtures.CLOCK))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("the password in " + file)
                .hasMessageContaining(login.role())
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aPasswordRevokedWithoutANewOneInTheFileMakesWritesUnavailableNamingTheFile() throws Exception {
        Login login = newLogin("only-s3cret");
        Path file = Files.writeString(folder.resolve("password"), "only-s3cret\n");
        try (JdbcStore store = JdbcStore.openPostgres(login.withPasswordFile(file).withMaxPoolSize(POOL), true,
                Fixtures.CLOCK)) {
            commit(store, new ChangeEvent.UserUpserted(user("u1", "alice", true)));
            admin("ALTER ROLE " + login.role() + " PASSWORD 'rotated-s3cret'");
            terminateBackendsOf(login.role());

            // Writes that meet the killed connections fail fast; the last one needs a new connection.
            StoreUnavailableException failure = null;
            for (int attempt = 0; attempt <= POOL; attempt++) {
                try {
                    commit(store, new ChangeEvent.UserUpserted(user("u2", "bob", true)));
                } catch (StoreUnavailableException e) {
                    failure = e;
                }
            }
            assertThat(failure).isNotNull();
            assertThat(failure.getMessage()).contains("the password in " + file).contains(login.role())
                    .doesNotContain("s3cret");
        }
    }

    @Test
    void anUnreadablePasswordFileFailsTheStartNamingIt() {
        Path missing = folder.resolve("no-such-password");
        PostgresSettings settings = PostgresSettings.of(POSTGRES.jdbcUrl(), Optional.of("anyone"), Optional.empty())
                .withPasswordFile(missing);
        assertThatThrownBy(() -> JdbcStore.openPostgres(settings, true, Fixtures.CLOCK))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("no such file");
    }

    @Test
    void theSettingsShowTheFileAndRefuseAPasswordBesideIt() {
        PostgresSettings settings = PostgresSettings.of(POSTGRES.jdbcUrl(), Optional.of("app"), Optional.empty())
                .withPasswordFile(folder.resolve("password"));
        assertThat(settings.toString()).contains("(from " + folder.resolve("password") + ")");
        assertThatThrownBy(() -> new PostgresSettings(settings.jdbcUrl(), settings.user(), Optional.of("pw"),
                settings.passwordFile(), 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("either a password or a password file");
    }

    private static long writePastKilledConnections(JdbcStore store) {
        for (int killed = 0; killed < POOL; killed++) {
            try {
                return commit(store, new ChangeEvent.UserUpserted(user("u2", "bob", true)));
            } catch (StoreUnavailableException metAKilledConnection) {
                assertThat(metAKilledConnection.getMessage()).doesNotContain("refused");
            }
        }
        return commit(store, new ChangeEvent.UserUpserted(user("u2", "bob", true)));
    }

    /** A login role with a password, and a new database it owns (so it can create the schema). */
    private static Login newLogin(String password) throws SQLException {
        String role = "rotating_" + ROLES.incrementAndGet();
        String url = POSTGRES.createDatabase();
        admin("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        admin("ALTER DATABASE " + url.substring(url.lastIndexOf('/') + 1, url.indexOf('?')) + " OWNER TO " + role);
        return new Login(role, url.replace("?user=postgres", ""));
    }

    private record Login(String role, String url) {
        PostgresSettings withPasswordFile(Path file) {
            return PostgresSettings.of(url, Optional.of(role), Optional.empty()).withPasswordFile(file);
        }
    }

    /** Kills the role's server connections and waits until the server has ended them. */
    private static void terminateBackendsOf(String role) throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES.jdbcUrl());
             Statement st = c.createStatement()) {
            Array killed;
            try (ResultSet rs = st.executeQuery(
                    "SELECT array_agg(pid) FROM pg_stat_activity WHERE usename = '" + role + "'")) {
                rs.next();
                killed = rs.getArray(1);
            }
            assertThat(killed).as("the role's connections").isNotNull();
            try (PreparedStatement kill = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM unnest(?) pid")) {
                kill.setArray(1, killed);
                kill.execute();
            }
            // The store reconnects at once (its LISTEN connection): wait for these backends, not the role's.
            try (PreparedStatement alive = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(?)")) {
                alive.setArray(1, killed);
                Await.until(Duration.ofSeconds(10), () -> count(alive) == 0, () -> "the killed connections end");
            }
        }
    }

    private static int count(PreparedStatement query) {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES.jdbcUrl());
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
