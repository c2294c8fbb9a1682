package io.scimitar.scim.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.Member;
import com.unboundid.scim2.common.types.UserResource;
import io.scimitar.scim.json.Json;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The group lifecycle with members, driven by UnboundID's client. */
class UnboundIdGroupTest {

    @AutoClose
    private static final ScimClients clients = ScimClients.onNewReceiver();

    private static String user() throws Exception {
        String name = "member-" + UUID.randomUUID().toString().substring(0, 8);
        return clients.scim.create("Users", new UserResource().setUserName(name)).getId();
    }

    private static GroupResource group(String displayName, String... members) {
        GroupResource group = new GroupResource().setDisplayName(displayName + "-" + UUID.randomUUID().toString().substring(0, 6));
        group.setMembers(java.util.Arrays.stream(members).map(id -> new Member().setValue(id)).toList());
        return group;
    }

    private static List<String> memberIds(String groupId) throws Exception {
        List<Member> members = clients.scim.retrieve("Groups", groupId, GroupResource.class).getMembers();
        return members == null ? List.of() : members.stream().map(Member::getValue).toList();
    }

    @Test
    void createWithMembersAndReadThemBack() throws Exception {
        String alice = user();
        String bob = user();

        GroupResource created = clients.scim.create("Groups", group("eng", alice, bob));

        assertThat(created.getId()).isNotBlank();
        assertThat(created.getMeta().getResourceType()).isEqualTo("Group");
        assertThat(memberIds(created.getId())).containsExactlyInAnyOrder(alice, bob);
        GroupResource read = clients.scim.retrieve("Groups", created.getId(), GroupResource.class);
        assertThat(read.getDisplayName()).isEqualTo(created.getDisplayName());
        assertThat(read.getMembers()).allSatisfy(m -> assertThat(m.getType()).isEqualTo("User"));
    }

    @Test
    void modifyAddsAndRemovesMembersOneAtATime() throws Exception {
        String alice = user();
        String bob = user();
        String carol = user();
        GroupResource created = clients.scim.create("Groups", group("ops", alice));

        clients.scim.modifyRequest("Groups", created.getId())
                .addValues("members", Json.object().put("value", bob), Json.object().put("value", carol))
                .invoke(GroupResource.class);
        assertThat(memberIds(created.getId())).containsExactlyInAnyOrder(alice, bob, carol);

        clients.scim.modifyRequest("Groups", created.getId())
                .removeValues("members[value eq \"" + bob + "\"]")
                .invoke(GroupResource.class);
        assertThat(memberIds(created.getId())).containsExactlyInAnyOrder(alice, carol);
    }

    @Test
    void modifyRenamesWithoutTouchingMembers() throws Exception {
        String alice = user();
        GroupResource created = clients.scim.create("Groups", group("rename", alice));

        clients.scim.modifyRequest("Groups", created.getId()).replaceValue("displayName", created.getDisplayName() + "-new")
                .invoke(GroupResource.class);

        GroupResource read = clients.scim.retrieve("Groups", created.getId(), GroupResource.class);
        assertThat(read.getDisplayName()).isEqualTo(created.getDisplayName() + "-new");
        assertThat(memberIds(created.getId())).containsExactly(alice);
    }

    @Test
    void replaceMembersWithAnEmptyListEmptiesTheGroup() throws Exception {
        GroupResource created = clients.scim.create("Groups", group("clear", user(), user()));

        clients.scim.modifyRequest("Groups", created.getId())
                .addOperation(PatchOperation.replace("members", Json.array()))
                .invoke(GroupResource.class);

        assertThat(memberIds(created.getId())).isEmpty();
    }

    @Test
    void replaceSetsExactlyTheGivenMembers() throws Exception {
        String alice = user();
        String bob = user();
        GroupResource created = clients.scim.create("Groups", group("put", alice));
        created.setMembers(List.of(new Member().setValue(bob)));

        GroupResource replaced = clients.scim.replace(created);

        assertThat(replaced.getId()).isEqualTo(created.getId());
        assertThat(memberIds(created.getId())).containsExactly(bob);
    }

    @Test
    void deletingAUserRemovesItFromItsGroups() throws Exception {
        String alice = user();
        String bob = user();
        GroupResource created = clients.scim.create("Groups", group("leave", alice, bob));

        clients.scim.delete("Users", alice);

        assertThat(memberIds(created.getId())).containsExactly(bob);
    }

    @Test
    void deleteRemovesTheGroup() throws Exception {
        GroupResource created = clients.scim.create("Groups", group("gone", user()));

        clients.scim.delete(created);

        assertThatThrownBy(() -> clients.scim.retrieve("Groups", created.getId(), GroupResource.class))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
