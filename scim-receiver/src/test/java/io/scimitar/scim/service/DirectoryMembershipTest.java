package io.scimitar.scim.service;

import static io.scimitar.scim.store.Directory.scimError;
import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.scim.error.ScimType;
import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.store.ChangeEvent;
import io.scimitar.scim.store.ChangeEvent.Member;
import io.scimitar.scim.store.Directory;
import io.scimitar.scim.store.DirectoryView;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group membership: recorded as deltas, validated against the directory, and followed by deletions. */
class DirectoryMembershipTest {

    @TempDir
    Path dir;

    @Test
    void deletingAUserRemovesItFromEveryGroup() {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            var bob = d.createUser("bob");
            var admins = d.createGroup("admins", alice.id(), bob.id());
            var ops = d.createGroup("ops", alice.id());

            d.service().delete(ResourceType.USER, alice.id(), Optional.empty());

            assertThat(lastEvents(d)).containsExactly(new ChangeEvent.UserDeleted(alice.id()));
            assertThat(memberIds(d.getGroup(admins.id()))).containsExactly(bob.id());
            assertThat(memberIds(d.getGroup(ops.id()))).isEmpty();
            assertThat(d.groupsOf(alice.id())).isEmpty();
            assertThat(DirectoryView.load(d.store()).dump()).isEqualTo(d.view().dump());
            assertThat(d.reopen().groupsOf(alice.id())).isEmpty();
        }
    }

    @Test
    void addingAndRemovingMembersIsRecordedAsDeltas() {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            var bob = d.createUser("bob");
            var carol = d.createUser("carol");
            var inner = d.createGroup("inner");
            var group = d.createGroup("group", alice.id());

            d.patch(ResourceType.GROUP, group.id(), """
                    [{"op":"add","path":"members","value":[{"value":"%s"},{"value":"%s"},{"value":"%s"}]}]"""
                    .formatted(bob.id(), inner.id(), alice.id()));
            assertThat(lastEvents(d)).hasSize(2).last().isEqualTo(new ChangeEvent.MembersAdded(group.id(),
                    sorted(new Member(bob.id(), "User"), new Member(inner.id(), "Group"))));

            d.patch(ResourceType.GROUP, group.id(), """
                    [{"op":"remove","path":"members[value eq \\"%s\\"]"}]""".formatted(alice.id()));
            assertThat(lastEvents(d)).hasSize(2).last().isEqualTo(
                    new ChangeEvent.MembersRemoved(group.id(), List.of(new Member(alice.id(), "User"))));

            d.patch(ResourceType.GROUP, group.id(), """
                    [{"op":"replace","path":"members","value":[{"value":"%s"},{"value":"%s"}]}]"""
                    .formatted(bob.id(), carol.id()));
            List<ChangeEvent> replaced = lastEvents(d);
            assertThat(replaced.get(0)).isInstanceOf(ChangeEvent.GroupUpserted.class);
            assertThat(((ChangeEvent.GroupUpserted) replaced.get(0)).group().has("members")).isFalse();
            assertThat(replaced.subList(1, replaced.size())).containsExactly(
                    new ChangeEvent.MembersRemoved(group.id(), List.of(new Member(inner.id(), "Group"))),
                    new ChangeEvent.MembersAdded(group.id(), List.of(new Member(carol.id(), "User"))));

            assertThat(memberIds(d.getGroup(group.id()))).containsExactlyInAnyOrder(bob.id(), carol.id());
            assertThat(d.groupsOf(inner.id())).isEmpty();
        }
    }

    @Test
    void putWithTheSameMembersChangesNothing() {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            var group = d.createGroup("group", alice.id());
            long version = d.version();
            d.service().replace(ResourceType.GROUP, group.id(), Directory.object("""
                    {"schemas":["%s"],"displayName":"group","members":[{"value":"%s"}]}"""
                    .formatted(Directory.GROUP_SCHEMA, alice.id())), Optional.empty(), Projection.DEFAULT);
            d.patch(ResourceType.GROUP, group.id(), """
                    [{"op":"add","path":"members","value":[{"value":"%s"}]}]""".formatted(alice.id()));
            assertThat(d.version()).isEqualTo(version);
        }
    }

    @Test
    void anUnknownMemberIs400InvalidValueAndWritesNothing() {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            var group = d.createGroup("group");
            var before = d.state();

            var onCreate = scimError(() -> d.createGroup("other", alice.id(), "no-such-id"));
            var onPatch = scimError(() -> d.patch(ResourceType.GROUP, group.id(), """
                    [{"op":"add","path":"members","value":[{"value":"%s"},{"value":"no-such-id"}]}]"""
                    .formatted(alice.id())));
            var onPut = scimError(() -> d.service().replace(ResourceType.GROUP, group.id(), Directory.object("""
                    {"schemas":["%s"],"displayName":"group","members":[{"value":"no-such-id"}]}"""
                    .formatted(Directory.GROUP_SCHEMA)), Optional.empty(), Projection.DEFAULT));

            for (var e : List.of(onCreate, onPatch, onPut)) {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.scimType()).contains(ScimType.INVALID_VALUE);
                assertThat(e.detail()).contains("no-such-id");
            }
            assertThat(d.state()).isEqualTo(before);
        }
    }

    @Test
    void removingAMemberThatIsNotThereChangesNothing() {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            var group = d.createGroup("group");
            long version = d.version();
            d.patch(ResourceType.GROUP, group.id(), """
                    [{"op":"remove","path":"members[value eq \\"%s\\"]"}]""".formatted(alice.id()));
            assertThat(d.version()).isEqualTo(version);
        }
    }

    @Test
    void aGroupCannotContainItself() {
        try (Directory d = Directory.open(dir)) {
            var group = d.createGroup("group");
            var before = d.state();
            var byPatch = scimError(() -> d.patch(ResourceType.GROUP, group.id(), """
                    [{"op":"add","path":"members","value":[{"value":"%s"}]}]""".formatted(group.id())));
            var byPut = scimError(() -> d.service().replace(ResourceType.GROUP, group.id(), Directory.object("""
                    {"schemas":["%s"],"displayName":"group","members":[{"value":"%s"}]}"""
                    .formatted(Directory.GROUP_SCHEMA, group.id())), Optional.empty(), Projection.DEFAULT));
            assertThat(byPatch.scimType()).contains(ScimType.INVALID_VALUE);
            assertThat(byPut.scimType()).contains(ScimType.INVALID_VALUE);
            assertThat(d.state()).isEqualTo(before);
        }
    }

    @Test
    void usersComeWithTheirGroups() {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            var admins = d.createGroup("admins", alice.id());
            var ops = d.createGroup("ops", alice.id());
            var json = d.getUser(alice.id()).json();
            assertThat(json.path("groups")).extracting(g -> g.path("value").asText())
                    .containsExactlyInAnyOrder(admins.id(), ops.id());
            assertThat(json.path("groups")).extracting(g -> g.path("display").asText())
                    .containsExactlyInAnyOrder("admins", "ops");
            // Stored users never carry groups: they are computed from the memberships.
            assertThat(d.view().dump().users().get(alice.id()).has("groups")).isFalse();
            assertThat(d.service().get(ResourceType.USER, alice.id(),
                    new Projection(List.of(), List.of(AttributePath.of("groups")))).json().has("groups")).isFalse();
            d.patch(ResourceType.GROUP, ops.id(), """
                    [{"op":"replace","path":"displayName","value":"operations"}]""");
            assertThat(d.getUser(alice.id()).json().path("groups")).extracting(g -> g.path("display").asText())
                    .containsExactlyInAnyOrder("admins", "operations");
        }
    }

    @Test
    void groupsReturnMembersOnlyWhenTheProjectionIncludesThem() {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            var group = d.createGroup("group", alice.id());
            assertThat(d.getGroup(group.id()).json().path("members")).singleElement().satisfies(m -> {
                assertThat(m.path("value").asText()).isEqualTo(alice.id());
                assertThat(m.path("display").asText()).isEqualTo("alice");
                assertThat(m.path("type").asText()).isEqualTo("User");
            });
            var withoutMembers = d.service().get(ResourceType.GROUP, group.id(),
                    Projection.DEFAULT.excluding(AttributePath.of("members")));
            assertThat(withoutMembers.json().has("members")).isFalse();
            assertThat(withoutMembers.json().path("displayName").asText()).isEqualTo("group");
            var onlyName = d.service().get(ResourceType.GROUP, group.id(),
                    new Projection(List.of(AttributePath.of("displayName")), List.of()));
            assertThat(onlyName.json().has("members")).isFalse();
            // The stored group and its change events never carry members.
            assertThat(d.view().dump().groups().get(group.id()).has("members")).isFalse();
        }
    }

    private static List<ChangeEvent> lastEvents(Directory d) {
        return d.allChanges().getLast().events();
    }

    private static List<String> memberIds(ScimResource group) {
        return group.json().path("members").valueStream().map(m -> m.path("value").asText()).toList();
    }

    private static List<Member> sorted(Member... members) {
        return java.util.Arrays.stream(members).sorted(java.util.Comparator.comparing(Member::id)).toList();
    }
}
