package io.scimitar.scim.store;

import static io.scimitar.scim.store.Fixtures.commit;
import static io.scimitar.scim.store.Fixtures.group;
import static io.scimitar.scim.store.Fixtures.user;
import static io.scimitar.scim.store.Fixtures.userMember;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scimitar.scim.error.ScimException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store on a real PostgreSQL server: schema by Flyway, the SQL both engines share, its errors. */
class PostgresStoreTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    @Test
    void aNewDatabaseGetsTheSchemaFromFlywayAndKeepsEverythingAcrossReopening() throws Exception {
        String url = POSTGRES.createDatabase();
        try (JdbcStore store = JdbcStore.open(url, true, Fixtures.CLOCK)) {
            assertThat(store.dialect()).isEqualTo(Dialect.POSTGRESQL);
            assertThat(store.changeLog().currentVersion()).isZero();
            assertThat(store.changeLog().oldestVersion()).isEqualTo(1);
            commit(store, new ChangeEvent.UserUpserted(user("u1", "alice", true)),
                    new ChangeEvent.GroupUpserted(group("g1", "Admins")),
                    new ChangeEvent.MembersAdded("g1", List.of(userMember("u1"))));
            commit(store, new ChangeEvent.UserDeactivated(user("u1", "alice", false)));
        }
        try (JdbcStore reopened = JdbcStore.open(url, true, Fixtures.CLOCK)) {
            assertThat(reopened.changeLog().currentVersion()).isEqualTo(2);
            assertThat(reopened.changeLog().oldestVersion()).isEqualTo(1);
            DirectoryView.Dump tables = DirectoryView.load(reopened).dump();
            assertThat(tables).isEqualTo(DirectoryView.replay(reopened.changeLog().readAfter(0, 10)).dump());
            assertThat(tables.users().get("u1").path("active").booleanValue()).isFalse();
            assertThat(reopened.snapshot().memberships()).containsExactly(
                    new JdbcStore.Membership("g1", userMember("u1")));
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1");
        }
    }

    @Test
    void userNamesAreUniqueCaseInsensitivelyAndGroupNamesFollowTheSetting() {
        String url = POSTGRES.createDatabase();
        try (JdbcStore store = JdbcStore.open(url, true, Fixtures.CLOCK)) {
            commit(store, new ChangeEvent.UserUpserted(user("u1", "alice", true)),
                    new ChangeEvent.GroupUpserted(group("g1", "Admins")));
            assertThatThrownBy(() -> commit(store, new ChangeEvent.UserUpserted(user("u2", "ALICE", true))))
                    .isInstanceOfSatisfying(ScimException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.getMessage()).contains("userName");
                    });
            assertThatThrownBy(() -> commit(store, new ChangeEvent.GroupUpserted(group("g2", "admins"))))
                    .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.getMessage()).contains("displayName"));
            // A refused write takes no version: the next one is 2, with no gap.
            assertThat(commit(store, new ChangeEvent.UserUpserted(user("u3", "bob", true)))).isEqualTo(2);
        }
        try (JdbcStore store = JdbcStore.open(url, false, Fixtures.CLOCK)) {
            commit(store, new ChangeEvent.GroupUpserted(group("g2", "admins")));
            assertThat(DirectoryView.load(store).dump().groups()).containsOnlyKeys("g1", "g2");
        }
    }

    @Test
    void aRefusedLoginNamesTheUrlAndNotThePassword() {
        String url = POSTGRES.createDatabase().replace("?user=postgres", "");
        PostgresSettings settings = PostgresSettings.of(url, Optional.of("nobody"), Optional.of("s3cret-pass"));
        assertThatThrownBy(() -> JdbcStore.openPostgres(settings, true, Fixtures.CLOCK))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(url)
                .hasMessageNotContaining("s3cret-pass");
        assertThat(settings.toString()).doesNotContain("s3cret-pass").contains("nobody");
    }
}
