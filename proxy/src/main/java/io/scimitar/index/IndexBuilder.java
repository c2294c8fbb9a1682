package io.scimitar.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.store.ChangeEvent;
import io.scimitar.scim.store.JdbcStore;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link MembershipIndex} from a snapshot in one pass. Memberships arrive either with
 * their user ({@link #user(ObjectNode, List)}, after the groups: the feed's snapshot) or one by one
 * ({@link #member}, after users and groups: a store's tables). Either way they are collected as
 * each user's group ordinals, and each persistent structure (the users, each group's member set)
 * is built once at the end, so 2,000,000 memberships cost an int each rather than a copied trie
 * path. Not thread-safe; use once.
 */
public final class IndexBuilder {

    private final UserKey userKey;
    private final MembershipIndex previous;
    private int nextOrdinal;
    /** By id: each user's JSON and the ordinals of its groups. */
    private final Map<String, PendingUser> users = new HashMap<>();
    private final Map<String, Integer> groupOrdinals = new HashMap<>();
    /** By ordinal: the group's JSON. */
    private final Map<Integer, ObjectNode> groups = new HashMap<>();
    private String lastGroupId;   // the group of the previous membership, and its ordinal
    private int lastOrdinal;
    private boolean built;

    /** A builder for a first index: group ordinals from 0. */
    public IndexBuilder(UserKey userKey) {
        this.userKey = userKey;
        this.previous = null;
    }

    /**
     * A builder for an index that replaces {@code previous} (a resync after a gap): a group that
     * still exists keeps its ordinal and a new group gets one never used before, so ordinals that
     * a policy resolved earlier cannot come to mean another group.
     */
    public IndexBuilder(MembershipIndex previous) {
        this.userKey = previous.userKey;
        this.previous = previous;
        this.nextOrdinal = previous.nextOrdinal;
    }

    /** Adds a stored SCIM user; adding the same id again replaces it (and keeps its memberships). */
    public IndexBuilder user(ObjectNode user) {
        pending(user);
        return this;
    }

    /**
     * Adds a stored SCIM user with the ids of the groups it is a direct member of. The groups are
     * added before; an id naming no group added is skipped, as {@link #member} skips it.
     */
    public IndexBuilder user(ObjectNode user, List<String> groupIds) {
        PendingUser pending = pending(user);
        for (String groupId : groupIds) {
            Integer ordinal = groupOrdinals.get(groupId);
            if (ordinal != null) {
                pending.addGroup(ordinal);
            }
        }
        return this;
    }

    /** Adds a stored SCIM group (its members come separately); the same id again replaces it. */
    public IndexBuilder group(ObjectNode group) {
        String id = requireId(group, "group");
        Integer ordinal = groupOrdinals.get(id);
        if (ordinal == null) {
            Integer kept = previous == null ? null : previous.groupsById.get(id);
            ordinal = kept != null ? kept : nextOrdinal++;
            groupOrdinals.put(id, ordinal);
        }
        groups.put(ordinal, group);
        return this;
    }

    /** Records a direct membership, as {@link #member(String, String, String)}. */
    public IndexBuilder member(String groupId, ChangeEvent.Member member) {
        return member(groupId, member.id(), member.type());
    }

    /**
     * Records a direct membership. Groups as members ("Group") are not expanded, and a membership
     * naming a user or group not added before is skipped: the receiver never stores one.
     */
    public IndexBuilder member(String groupId, String memberId, String memberType) {
        // A store's rows come ordered by group: the group is looked up once per run of its members.
        if (!groupId.equals(lastGroupId)) {
            Integer ordinal = groupOrdinals.get(groupId);
            if (ordinal == null) {
                return this;
            }
            lastGroupId = groupId;
            lastOrdinal = ordinal;
        }
        PendingUser user = users.get(memberId);
        if (user != null && !"Group".equals(memberType)) {
            user.addGroup(lastOrdinal);
        }
        return this;
    }

    /** The index of a store snapshot (every user, group and membership in its tables at its version). */
    public MembershipIndex build(JdbcStore.Snapshot snapshot) {
        snapshot.users().forEach(this::user);
        snapshot.groups().forEach(this::group);
        snapshot.memberships().forEach(m -> member(m.groupId(), m.member()));
        return build(snapshot.version());
    }

    public MembershipIndex build(long version) {
        if (built) {
            throw new IllegalStateException("this builder already built the index of version " + version);
        }
        built = true;
        Map<String, DirectoryUser> byId = new HashMap<>(users.size() * 2);
        KeyMap.Builder byKey = new KeyMap.Builder();
        int[] memberCounts = new int[nextOrdinal];
        for (PendingUser pending : users.values()) {
            DirectoryUser user = DirectoryUser.fromScim(pending.json, userKey, pending.sortedGroups());
            byId.put(user.id(), user);
            for (String key : user.keys()) {
                byKey.add(key, user.id());
            }
            for (int i = 0; i < user.groupCount(); i++) {
                memberCounts[user.groupOrdinal(i)]++;
            }
        }
        // Each group's members, from the users' ordinals: the user's own id instance, one String
        // per user however many groups it is in.
        String[][] members = new String[nextOrdinal][];
        for (int ordinal = 0; ordinal < nextOrdinal; ordinal++) {
            members[ordinal] = new String[memberCounts[ordinal]];
        }
        int[] filled = new int[nextOrdinal];
        for (DirectoryUser user : byId.values()) {
            for (int i = 0; i < user.groupCount(); i++) {
                int ordinal = user.groupOrdinal(i);
                members[ordinal][filled[ordinal]++] = user.id();
            }
        }
        GroupEntry[] entries = new GroupEntry[nextOrdinal];
        Map<String, Integer> groupsById = new HashMap<>(groups.size() * 2);
        KeyMap.Builder byDisplayName = new KeyMap.Builder();
        KeyMap.Builder byExternalId = new KeyMap.Builder();
        for (Map.Entry<Integer, ObjectNode> group : groups.entrySet()) {
            int ordinal = group.getKey();
            GroupEntry entry = GroupEntry.fromScim(group.getValue(), HashTrie.ofKeys(members[ordinal]));
            entries[ordinal] = entry;
            groupsById.put(entry.id(), ordinal);
            byDisplayName.add(entry.displayNameKey(), entry.id());
            if (entry.externalId() != null) {
                byExternalId.add(entry.externalId(), entry.id());
            }
        }
        return new MembershipIndex(version, userKey, HashTrie.of(byId), byKey.build(), OrdinalTable.of(entries),
                HashTrie.of(groupsById), byDisplayName.build(), byExternalId.build(), nextOrdinal);
    }

    private PendingUser pending(ObjectNode user) {
        String id = requireId(user, "user");
        PendingUser known = users.get(id);
        if (known == null) {
            known = new PendingUser(id, user);
            users.put(id, known);
        } else {
            known.json = user;
        }
        return known;
    }

    /** The resource's id; a resource without one is malformed input, refused with the resource in the message. */
    static String requireId(ObjectNode resource, String kind) {
        var id = resource.get("id");
        if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
            throw new IllegalArgumentException("a " + kind + " without an \"id\" cannot be indexed: " + resource);
        }
        return id.textValue();
    }

    /**
     * A user being collected: its JSON and the ordinals of its groups, a growable set of small ints
     * (users are in tens of groups, so a linear check beats hashing).
     */
    private static final class PendingUser {
        private static final int[] NONE = new int[0];

        final String id;
        ObjectNode json;
        private int[] groups = NONE;
        private int size;

        PendingUser(String id, ObjectNode json) {
            this.id = id;
            this.json = json;
        }

        /** Adds the group's ordinal; false when the user was already in it. */
        boolean addGroup(int ordinal) {
            for (int i = 0; i < size; i++) {
                if (groups[i] == ordinal) {
                    return false;
                }
            }
            if (size == groups.length) {
                groups = Arrays.copyOf(groups, Math.max(4, size * 2));
            }
            groups[size++] = ordinal;
            return true;
        }

        int[] sortedGroups() {
            int[] result = Arrays.copyOf(groups, size);
            Arrays.sort(result);
            return result;
        }
    }
}
