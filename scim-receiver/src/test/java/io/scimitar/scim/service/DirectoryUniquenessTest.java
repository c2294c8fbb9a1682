package io.scimitar.scim.service;

import static io.scimitar.scim.store.Directory.scimError;
import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.error.ScimType;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.store.Directory;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** userName is unique case-insensitively (RFC 7643 §4.1.1); group displayName only when configured. */
class DirectoryUniquenessTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"alice", "ALICE", "Alice"})
    void creatingATakenUserNameIs409(String userName) {
        try (Directory d = Directory.open(dir)) {
            d.createUser("alice");
            var before = d.state();
            assertUniqueness(scimError(() -> d.createUser(userName)));
            assertThat(d.state()).isEqualTo(before);
        }
    }

    @Test
    void renamingOntoATakenUserNameIs409ByPutAndByPatch() {
        try (Directory d = Directory.open(dir)) {
            d.createUser("alice");
            var bob = d.createUser("bob");
            var before = d.state();
            assertUniqueness(scimError(() -> d.patch(ResourceType.USER, bob.id(), """
                    [{"op":"replace","path":"userName","value":"ALICE"}]""")));
            assertUniqueness(scimError(() -> d.service().replace(ResourceType.USER, bob.id(),
                    Directory.object("{\"schemas\":[\"" + Directory.USER_SCHEMA + "\"],\"userName\":\"Alice\"}"),
                    Optional.empty(), Projection.DEFAULT)));
            assertThat(d.state()).isEqualTo(before);
        }
    }

    @Test
    void aUserMayChangeTheCaseOfItsOwnUserNameAndAFreedNameCanBeReused() {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            var renamed = d.patch(ResourceType.USER, alice.id(), """
                    [{"op":"replace","path":"userName","value":"ALICE"}]""");
            assertThat(renamed.json().path("userName").asText()).isEqualTo("ALICE");
            d.patch(ResourceType.USER, alice.id(), """
                    [{"op":"replace","path":"userName","value":"alice2"}]""");
            assertThat(d.createUser("alice").json().path("userName").asText()).isEqualTo("alice");
            d.service().delete(ResourceType.USER, alice.id(), Optional.empty());
            assertThat(d.createUser("Alice2").id()).isNotEqualTo(alice.id());
        }
    }

    @Test
    void groupDisplayNamesAreUniqueWhenConfigured() {
        try (Directory d = Directory.open(dir, new DirectorySettings(true, 100))) {
            d.createGroup("admins");
            var ops = d.createGroup("ops");
            assertUniqueness(scimError(() -> d.createGroup("ADMINS")));
            assertUniqueness(scimError(() -> d.patch(ResourceType.GROUP, ops.id(), """
                    [{"op":"replace","path":"displayName","value":"Admins"}]""")));
            assertThat(d.patch(ResourceType.GROUP, ops.id(), """
                    [{"op":"replace","path":"displayName","value":"OPS"}]""").json().path("displayName").asText())
                    .isEqualTo("OPS");
        }
    }

    @Test
    void groupDisplayNamesMayRepeatWhenNotConfigured() {
        try (Directory d = Directory.open(dir, new DirectorySettings(false, 100))) {
            var first = d.createGroup("admins");
            var second = d.createGroup("Admins");
            var ops = d.createGroup("ops");
            d.patch(ResourceType.GROUP, ops.id(), """
                    [{"op":"replace","path":"displayName","value":"ADMINS"}]""");
            java.util.Set<String> named = d.view().read(r -> java.util.Set.copyOf(r.groupIdsByDisplayName("admins")));
            assertThat(named)
                    .containsExactlyInAnyOrder(first.id(), second.id(), ops.id());
            d.reopen();
            assertThat(d.createGroup("admins").id()).isNotIn(first.id(), second.id(), ops.id());
        }
    }

    @Test
    void userNamesStayUniqueWhateverTheGroupSetting() {
        try (Directory d = Directory.open(dir, new DirectorySettings(false, 100))) {
            d.createUser("alice");
            assertUniqueness(scimError(() -> d.createUser("ALICE")));
        }
    }

    private static void assertUniqueness(ScimException e) {
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.scimType()).contains(ScimType.UNIQUENESS);
    }
}
