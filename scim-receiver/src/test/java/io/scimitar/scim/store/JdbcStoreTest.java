package io.scimitar.scim.store;

import static io.scimitar.scim.store.Fixtures.commit;
import static io.scimitar.scim.store.Fixtures.group;
import static io.scimitar.scim.store.Fixtures.user;
import static io.scimitar.scim.store.Fixtures.userMember;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcStoreTest {

    @TempDir
    Path dir;

    @Test
    void everythingCommittedIsThereAfterReopen() {
        DirectoryView.Dump before;
        try (JdbcStore store = Fixtures.open(dir)) {
            commit(store, new ChangeEvent.UserUpserted(user("u1", "alice", true)));
            commit(store, new ChangeEvent.UserUpserted(user("u2", "bob", true)),
                    new ChangeEvent.GroupUpserted(group("g1", "Admins")),
                    new ChangeEvent.MembersAdded("g1", List.of(userMember("u1"), userMember("u2"))));
            commit(store, new ChangeEvent.UserDeactivated(user("u2", "bob", false)));
            before = DirectoryView.load(store).dump();
        }
        try (JdbcStore reopened = Fixtures.open(dir)) {
            DirectoryView.Dump after = DirectoryView.load(reopened).dump();
            assertThat(after).isEqualTo(before);
            assertThat(after.version()).isEqualTo(3);
            assertThat(after.users().get("u2").get("active").booleanValue()).isFalse();
            assertThat(after.members().get("g1")).containsOnlyKeys("u1", "u2");
            assertThat(reopened.changeLog().currentVersion()).isEqualTo(3);
        }
    }

    @Test
    void versionsIncreaseByOneWithoutGapsAcrossReopens() {
        try (JdbcStore store = Fixtures.open(dir)) {
            assertThat(store.changeLog().currentVersion()).isZero();
            for (int i = 1; i <= 5; i++) {
                assertThat(commit(store, new ChangeEvent.UserUpserted(user("u" + i, "user" + i, true)))).isEqualTo(i);
            }
        }
        try (JdbcStore store = Fixtures.open(dir)) {
            assertThat(commit(store, new ChangeEvent.UserDeleted("u1"))).isEqualTo(6);
            assertThat(store.changeLog().readAfter(0, 100)).extracting(Change::version)
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        }
    }

    @Test
    void aFailedWriteTakesNoVersionAndChangesNothing() {
        try (JdbcStore store = Fixtures.open(dir)) {
            commit(store, new ChangeEvent.UserUpserted(user("u1", "alice", true)));
            assertThatThrownBy(() -> store.write(tx -> {
                tx.append(new ChangeEvent.UserUpserted(user("u2", "bob", true)));
                throw ScimException.invalidValue("refused");
            })).isInstanceOf(ScimException.class);
            // The table's unique index is the last line of defence against duplicate userNames.
            assertThatThrownBy(() -> commit(store, new ChangeEvent.UserUpserted(user("u3", "ALICE", true))))
                    .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(409));
            assertThat(store.changeLog().currentVersion()).isEqualTo(1);
            assertThat(commit(store, new ChangeEvent.UserUpserted(user("u4", "carol", true)))).isEqualTo(2);
            assertThat(DirectoryView.load(store).dump().users()).containsOnlyKeys("u1", "u4");
        }
    }

    @Test
    void aWriteWithoutEventsCommitsNothing() {
        try (JdbcStore store = Fixtures.open(dir)) {
            long version = store.write(StoreTransaction::version);
            assertThat(version).isEqualTo(1);
            assertThat(store.changeLog().currentVersion()).isZero();
        }
    }

    @Test
    void theDatabaseIsDurableWalWithForeignKeysAndAVersionedSchema() throws Exception {
        try (JdbcStore store = Fixtures.open(dir)) {
            commit(store, new ChangeEvent.GroupUpserted(group("g1", "Admins")));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/scim.db"))) {
            assertThat(single(c, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(single(c, "SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1"))
                    .isEqualTo("3");
        }
    }

    @Test
    void aDatabaseMadeBeforeFlywayIsTakenOverWithItsData() throws Exception {
        Path file = dir.resolve("data/scim.db");
        Files.createDirectories(file.getParent());
        Change written = new Change(1, Fixtures.CLOCK.instant(),
                List.of(new ChangeEvent.UserUpserted(user("u1", "alice", true))));
        // What the builds before Flyway created: schema_version 1, the version 1 tables, and data.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_version (version BIGINT NOT NULL)");
            st.execute("INSERT INTO schema_version (version) VALUES (1)");
            String v1 = new String(JdbcStoreTest.class.getResourceAsStream("/db/scimitar/V1__directory.sql")
                    .readAllBytes(), StandardCharsets.UTF_8);
            for (String ddl : v1.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!ddl.isBlank()) {
                    st.execute(ddl);
                }
            }
            st.execute("CREATE UNIQUE INDEX groups_display_name ON groups (display_name_lower)");
            st.execute("INSERT INTO users VALUES ('u1', 'alice', 'alice', 'ext-u1', 1, 1, '2026-11-28T10:00:00.123Z',"
                    + " '2026-11-28T10:00:00.123Z', '" + Json.MAPPER.writeValueAsString(user("u1", "alice", true)) + "')");
            st.execute("INSERT INTO change_log VALUES (1, '" + written.committedAt() + "', '"
                    + ChangeCodec.encodeEvents(written.events()) + "')");
        }
        try (JdbcStore store = Fixtures.open(dir)) {
            assertThat(store.changeLog().readAfter(0, 10)).containsExactly(written);
            assertThat(DirectoryView.load(store).dump().users()).containsOnlyKeys("u1");
            assertThat(commit(store, new ChangeEvent.UserUpserted(user("u2", "bob", true)))).isEqualTo(2);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(single(c, "SELECT group_concat(version || ':' || type, ',') FROM flyway_schema_history"))
                    .as("baselined at 1, then migrated to 2 and 3").isEqualTo("1:BASELINE,2:SQL,3:SQL");
        }
    }

    @Test
    void groupDisplayNameUniquenessFollowsTheSetting() {
        try (JdbcStore store = Fixtures.open(dir)) {
            commit(store, new ChangeEvent.GroupUpserted(group("g1", "Admins")));
            assertThatThrownBy(() -> commit(store, new ChangeEvent.GroupUpserted(group("g2", "admins"))))
                    .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(409));
        }
        try (JdbcStore store = JdbcStore.openSqlite(dir.resolve("data/scim.db"), false, Fixtures.CLOCK)) {
            commit(store, new ChangeEvent.GroupUpserted(group("g2", "admins")));
            assertThat(DirectoryView.load(store).dump().groups()).containsOnlyKeys("g1", "g2");
        }
    }

    @Test
    void deletingAUserRemovesItFromEveryGroup() {
        try (JdbcStore store = Fixtures.open(dir)) {
            commit(store, new ChangeEvent.UserUpserted(user("u1", "alice", true)),
                    new ChangeEvent.GroupUpserted(group("g1", "A")), new ChangeEvent.GroupUpserted(group("g2", "B")),
                    new ChangeEvent.MembersAdded("g1", List.of(userMember("u1"))),
                    new ChangeEvent.MembersAdded("g2", List.of(userMember("u1"))));
            commit(store, new ChangeEvent.UserDeleted("u1"));
            assertThat(store.snapshot().memberships()).isEmpty();
        }
    }

    private static String single(Connection c, String sql) throws Exception {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
