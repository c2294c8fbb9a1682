package io.scimitar.scim.store;

import static io.scimitar.scim.store.Fixtures.commit;
import static io.scimitar.scim.store.Fixtures.group;
import static io.scimitar.scim.store.Fixtures.user;
import static io.scimitar.scim.store.Fixtures.userMember;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryViewIndexTest {

    @TempDir
    Path dir;

    private static void writeSequence(JdbcStore store) {
        commit(store, new ChangeEvent.UserUpserted(user("u1", "Alice", true)),
                new ChangeEvent.UserUpserted(user("u2", "bob", true)),
                new ChangeEvent.UserUpserted(user("u3", "carol", true)));
        commit(store, new ChangeEvent.GroupUpserted(group("g1", "Admins")),
                new ChangeEvent.MembersAdded("g1", List.of(userMember("u1"), userMember("u2"))));
        commit(store, new ChangeEvent.GroupUpserted(group("g2", "Nested")),
                new ChangeEvent.MembersAdded("g2", List.of(new ChangeEvent.Member("g1", "Group"), userMember("u3"))));
        commit(store, new ChangeEvent.UserDeactivated(user("u2", "bob", false)));
        commit(store, new ChangeEvent.MembersRemoved("g1", List.of(userMember("u1"))),
                new ChangeEvent.GroupUpserted(group("g1", "Administrators")));
        commit(store, new ChangeEvent.UserUpserted(user("u1", "alice.renamed", true)));
        commit(store, new ChangeEvent.UserDeleted("u3"));
        commit(store, new ChangeEvent.GroupDeleted("g1"));
    }

    @Test
    void followedViewEqualsLoadFromStoreEqualsReplayOfTheLog() {
        try (JdbcStore store = Fixtures.open(dir); DirectoryView followed = DirectoryView.follow(store)) {
            writeSequence(store);
            DirectoryView.Dump loaded = DirectoryView.load(store).dump();
            DirectoryView.Dump replayed = DirectoryView.replay(store.changeLog().readAfter(0, 1000)).dump();
            assertThat(followed.dump()).isEqualTo(loaded).isEqualTo(replayed);
            assertThat(loaded.version()).isEqualTo(8);
            assertThat(loaded.users()).containsOnlyKeys("u1", "u2");
            assertThat(loaded.groups()).containsOnlyKeys("g2");
            assertThat(loaded.members()).isEmpty();
        }
    }

    @Test
    void aViewFollowingFromTheMiddleCatchesUp() {
        try (JdbcStore store = Fixtures.open(dir)) {
            commit(store, new ChangeEvent.UserUpserted(user("u0", "zed", true)));
            try (DirectoryView view = DirectoryView.follow(store)) {
                writeSequence(store);
                assertThat(view.dump()).isEqualTo(DirectoryView.load(store).dump());
            }
        }
    }

    @Test
    void indexesFollowRenamesDeletesAndMemberships() {
        try (JdbcStore store = Fixtures.open(dir); DirectoryView view = DirectoryView.follow(store)) {
            writeSequence(store);
            view.read(r -> {
                assertThat(r.userIdByUserName("ALICE.RENAMED")).contains("u1");
                assertThat(r.userIdByUserName("alice")).isEmpty();
                assertThat(r.userIdsByExternalId("ext-u2")).containsExactly("u2");
                assertThat(r.userIdsByExternalId("ext-u3")).isEmpty();
                assertThat(r.groupIdsByDisplayName("nested")).containsExactly("g2");
                assertThat(r.groupIdsByDisplayName("administrators")).isEmpty();
                assertThat(r.groupsOf("u2")).isEmpty();
                assertThat(r.members("g2")).isEmpty();
                assertThat(r.user("u2").orElseThrow().get("active").booleanValue()).isFalse();
                assertThat(r.users()).extracting(u -> u.get("id").asText()).containsExactly("u1", "u2");
                return null;
            });
        }
    }

    @Test
    void reverseIndexListsTheGroupsOfAMember() {
        DirectoryView view = DirectoryView.replay(List.of(
                change(1, new ChangeEvent.UserUpserted(user("u1", "a", true)),
                        new ChangeEvent.GroupUpserted(group("g2", "B")), new ChangeEvent.GroupUpserted(group("g1", "A")),
                        new ChangeEvent.MembersAdded("g2", List.of(userMember("u1"))),
                        new ChangeEvent.MembersAdded("g1", List.of(userMember("u1"))))));
        List<String> groupsBefore = view.read(r -> List.copyOf(r.groupsOf("u1")));
        assertThat(groupsBefore).containsExactly("g1", "g2");
        view.apply(change(2, new ChangeEvent.MembersRemoved("g2", List.of(userMember("u1")))));
        List<String> groupsAfter = view.read(r -> List.copyOf(r.groupsOf("u1")));
        assertThat(groupsAfter).containsExactly("g1");
    }

    @Test
    void oldChangesAreIgnoredAndGapsRefused() {
        DirectoryView view = DirectoryView.replay(List.of(change(1, new ChangeEvent.UserUpserted(user("u1", "a", true)))));
        view.apply(change(1, new ChangeEvent.UserDeleted("u1")));
        assertThat(view.dump().users()).containsOnlyKeys("u1");
        assertThatThrownBy(() -> view.apply(change(3, new ChangeEvent.UserDeleted("u1"))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(view.version()).isEqualTo(1);
    }

    @Test
    void theViewKeepsItsOwnCopyOfEventResources() {
        var json = user("u1", "a", true);
        DirectoryView view = DirectoryView.replay(List.of(change(1, new ChangeEvent.UserUpserted(json))));
        json.put("userName", "mutated");
        java.util.Optional<String> id = view.read(r -> r.userIdByUserName("a"));
        assertThat(id).contains("u1");
        assertThat(view.dump().users().get("u1").get("userName").asText()).isEqualTo("a");
    }

    private static Change change(long version, ChangeEvent... events) {
        return new Change(version, Instant.parse("2026-11-28T10:00:00Z"), List.of(events));
    }
}
