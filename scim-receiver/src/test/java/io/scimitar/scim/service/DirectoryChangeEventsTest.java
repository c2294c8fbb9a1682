package io.scimitar.scim.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.store.ChangeEvent;
import io.scimitar.scim.store.Directory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which event a user write produces: offboarding is its own event, a write that changes nothing none. */
class DirectoryChangeEventsTest {

    @TempDir
    Path dir;

    @Test
    void deactivationIsUserDeactivatedAndReactivationUserUpserted() {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            assertThat(lastEvent(d)).isInstanceOf(ChangeEvent.UserUpserted.class);

            d.patch(ResourceType.USER, alice.id(), """
                    [{"op":"replace","path":"active","value":false}]""");
            assertThat(lastEvent(d)).isInstanceOfSatisfying(ChangeEvent.UserDeactivated.class,
                    e -> assertThat(e.user().path("active").asBoolean(true)).isFalse());

            d.patch(ResourceType.USER, alice.id(), """
                    [{"op":"replace","path":"displayName","value":"Alice"}]""");
            assertThat(lastEvent(d)).as("a change to an inactive user is no second offboarding")
                    .isInstanceOf(ChangeEvent.UserUpserted.class);

            d.patch(ResourceType.USER, alice.id(), """
                    [{"op":"replace","path":"active","value":true}]""");
            assertThat(lastEvent(d)).isInstanceOfSatisfying(ChangeEvent.UserUpserted.class,
                    e -> assertThat(e.user().path("active").asBoolean()).isTrue());
        }
    }

    @Test
    void aPutWithActiveFalseIsAlsoADeactivation() {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            d.service().replace(ResourceType.USER, alice.id(), Directory.object("""
                    {"schemas":["%s"],"userName":"alice","active":false}""".formatted(Directory.USER_SCHEMA)),
                    Optional.empty(), Projection.DEFAULT);
            assertThat(lastEvent(d)).isInstanceOf(ChangeEvent.UserDeactivated.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[{\"op\":\"replace\",\"path\":\"userName\",\"value\":\"alice\"}]",
        "[{\"op\":\"replace\",\"path\":\"active\",\"value\":true}]",
        "[{\"op\":\"add\",\"path\":\"emails\",\"value\":[{\"value\":\"a@example.com\",\"type\":\"work\"}]}]",
        "[{\"op\":\"remove\",\"path\":\"nickName\"}]",
        "[{\"op\":\"replace\",\"value\":{\"displayName\":\"Alice\"}}]",
    })
    void aPatchThatChangesNothingWritesNoChange(String operations) {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser(Directory.object("""
                    {"schemas":["%s"],"userName":"alice","active":true,"displayName":"Alice",
                     "emails":[{"value":"a@example.com","type":"work"}]}""".formatted(Directory.USER_SCHEMA)));
            var before = d.state();
            var result = d.patch(ResourceType.USER, alice.id(), operations);
            assertThat(d.state()).isEqualTo(before);
            assertThat(result.version()).isEqualTo(alice.version());
            assertThat(result.json().path("meta")).isEqualTo(alice.json().path("meta"));
        }
    }

    @Test
    void aGroupRenameIsAGroupUpsertWithoutMembers() {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            var group = d.createGroup("group", alice.id());
            d.patch(ResourceType.GROUP, group.id(), """
                    [{"op":"replace","path":"displayName","value":"renamed"}]""");
            assertThat(d.allChanges().getLast().events()).singleElement()
                    .isInstanceOfSatisfying(ChangeEvent.GroupUpserted.class, e -> {
                        assertThat(e.group().path("displayName").asText()).isEqualTo("renamed");
                        assertThat(e.group().has("members")).isFalse();
                    });
            assertThat(d.membersOf(group.id())).containsOnlyKeys(alice.id());
        }
    }

    @Test
    void metaTracksCreationModificationAndVersion() {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            d.createUser("bob");
            var patched = d.patch(ResourceType.USER, alice.id(), """
                    [{"op":"replace","path":"displayName","value":"Alice"}]""");
            var meta = patched.json().path("meta");
            assertThat(meta.path("created").asText()).isEqualTo(alice.json().path("meta").path("created").asText());
            assertThat(meta.path("lastModified").asText()).isGreaterThan(meta.path("created").asText());
            assertThat(meta.path("version").asText()).isEqualTo("W/\"3\"");
            assertThat(meta.path("resourceType").asText()).isEqualTo("User");
            assertThat(patched.version()).isEqualTo(3);
            assertThat(List.of(patched.id())).containsExactly(alice.id());
        }
    }

    private static ChangeEvent lastEvent(Directory d) {
        List<ChangeEvent> events = d.allChanges().getLast().events();
        assertThat(events).hasSize(1);
        return events.getFirst();
    }
}
