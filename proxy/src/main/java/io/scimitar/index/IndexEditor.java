package io.scimitar.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.store.ChangeEvent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns one version of the index and the events of one change into the next version. Every step
 * replaces one persistent structure by an updated copy that shares the rest, so the cost is
 * proportional to what the change touches (a user, a group's members), not to the directory; the
 * base version is never modified, and readers keep using it until the holder swaps.
 */
final class IndexEditor {

    private static final int[] NO_GROUPS = new int[0];

    private final UserKey userKey;
    private HashTrie<String, DirectoryUser> usersById;
    private KeyMap usersByKey;
    private OrdinalTable<GroupEntry> groups;
    private HashTrie<String, Integer> groupsById;
    private KeyMap groupsByDisplayName;
    private KeyMap groupsByExternalId;
    private int nextOrdinal;
    private final Set<String> affected = new HashSet<>();

    IndexEditor(MembershipIndex base) {
        this.userKey = base.userKey;
        this.usersById = base.usersById;
        this.usersByKey = base.usersByKey;
        this.groups = base.groups;
        this.groupsById = base.groupsById;
        this.groupsByDisplayName = base.groupsByDisplayName;
        this.groupsByExternalId = base.groupsByExternalId;
        this.nextOrdinal = base.nextOrdinal;
    }

    void apply(ChangeEvent event) {
        switch (event) {
            case ChangeEvent.UserUpserted e -> putUser(e.user());
            case ChangeEvent.UserDeactivated e -> putUser(e.user());
            case ChangeEvent.UserDeleted e -> removeUser(e.userId());
            case ChangeEvent.GroupUpserted e -> putGroup(e.group());
            case ChangeEvent.GroupDeleted e -> removeGroup(e.groupId());
            case ChangeEvent.MembersAdded e -> addMembers(e.groupId(), e.members());
            case ChangeEvent.MembersRemoved e -> removeMembers(e.groupId(), e.members());
        }
    }

    MembershipIndex finish(long version) {
        return new MembershipIndex(version, userKey, usersById, usersByKey, groups, groupsById,
                groupsByDisplayName, groupsByExternalId, nextOrdinal);
    }

    /**
     * The users whose decisions may differ in the new version: changed identity or active flag,
     * deleted, joined or left a group, or member of a group that was renamed or deleted.
     */
    Set<String> affected() {
        return Set.copyOf(affected);
    }

    private void putUser(ObjectNode json) {
        String id = IndexBuilder.requireId(json, "user");
        DirectoryUser old = usersById.get(id);
        DirectoryUser user = old == null
                ? DirectoryUser.fromScim(json, userKey, NO_GROUPS)
                : DirectoryUser.fromScim(json, userKey, old);
        if (old != null) {
            for (String key : old.keys()) {
                if (!Arrays.asList(user.keys()).contains(key)) {
                    usersByKey = usersByKey.remove(key, id);
                }
            }
            if (!old.sameIdentity(user)) {
                affected.add(id);
            }
        }
        for (String key : user.keys()) {
            usersByKey = usersByKey.add(key, user.id());
        }
        usersById = usersById.put(user.id(), user);
    }

    /** Deleting a user also removes it from every group (see {@link ChangeEvent}). */
    private void removeUser(String id) {
        DirectoryUser old = usersById.get(id);
        if (old == null) {
            return;
        }
        for (String key : old.keys()) {
            usersByKey = usersByKey.remove(key, id);
        }
        for (int i = 0; i < old.groupCount(); i++) {
            int ordinal = old.groupOrdinal(i);
            GroupEntry group = groups.get(ordinal);
            groups = groups.set(ordinal, group.withMembers(group.members().remove(id)));
        }
        usersById = usersById.remove(id);
        affected.add(id);
    }

    private void putGroup(ObjectNode json) {
        String id = IndexBuilder.requireId(json, "group");
        Integer ordinal = groupsById.get(id);
        if (ordinal == null) {
            GroupEntry group = GroupEntry.fromScim(json, HashTrie.empty());
            int fresh = nextOrdinal++;
            groups = groups.set(fresh, group);
            groupsById = groupsById.put(group.id(), fresh);
            file(group);
            return;
        }
        GroupEntry old = groups.get(ordinal);
        GroupEntry group = GroupEntry.fromScim(json, old.members());
        if (!old.sameIdentity(group)) {
            unfile(old);
            file(group);
            // A policy that names the old or the new displayName now resolves differently for them.
            old.members().forEach((memberId, same) -> affected.add(memberId));
        }
        groups = groups.set(ordinal, group);
    }

    private void removeGroup(String id) {
        Integer ordinal = groupsById.get(id);
        if (ordinal == null) {
            return;
        }
        GroupEntry old = groups.get(ordinal);
        unfile(old);
        old.members().forEach((memberId, same) -> {
            usersById = usersById.put(memberId, usersById.get(memberId).leaving(ordinal));
            affected.add(memberId);
        });
        groups = groups.set(ordinal, null);
        groupsById = groupsById.remove(id);
    }

    private void addMembers(String groupId, List<ChangeEvent.Member> members) {
        Integer ordinal = groupsById.get(groupId);
        if (ordinal == null) {
            return;
        }
        GroupEntry group = groups.get(ordinal);
        HashTrie<String, String> set = group.members();
        for (ChangeEvent.Member member : members) {
            DirectoryUser user = "Group".equals(member.type()) ? null : usersById.get(member.id());
            if (user == null || set.containsKey(user.id())) {
                continue;
            }
            set = set.put(user.id(), user.id());
            usersById = usersById.put(user.id(), user.joining(ordinal));
            affected.add(user.id());
        }
        groups = groups.set(ordinal, group.withMembers(set));
    }

    private void removeMembers(String groupId, List<ChangeEvent.Member> members) {
        Integer ordinal = groupsById.get(groupId);
        if (ordinal == null) {
            return;
        }
        GroupEntry group = groups.get(ordinal);
        HashTrie<String, String> set = group.members();
        for (ChangeEvent.Member member : members) {
            if (!set.containsKey(member.id())) {
                continue;
            }
            set = set.remove(member.id());
            DirectoryUser user = usersById.get(member.id());
            usersById = usersById.put(user.id(), user.leaving(ordinal));
            affected.add(user.id());
        }
        groups = groups.set(ordinal, group.withMembers(set));
    }

    private void file(GroupEntry group) {
        groupsByDisplayName = groupsByDisplayName.add(group.displayNameKey(), group.id());
        if (group.externalId() != null) {
            groupsByExternalId = groupsByExternalId.add(group.externalId(), group.id());
        }
    }

    private void unfile(GroupEntry group) {
        groupsByDisplayName = groupsByDisplayName.remove(group.displayNameKey(), group.id());
        if (group.externalId() != null) {
            groupsByExternalId = groupsByExternalId.remove(group.externalId(), group.id());
        }
    }
}
