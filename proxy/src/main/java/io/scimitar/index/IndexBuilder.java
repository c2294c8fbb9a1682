package io.scimitar.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.store.ChangeEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link MembershipIndex} from a snapshot in one pass: users, then groups, then
 * memberships, in any order within each kind. It collects into plain maps and growable int arrays
 * and builds each persistent structure once at the end, so 2,000,000 memberships cost two ints'
 * worth of work each rather than a copied trie path. Not thread-safe; use once.
 */
public final class IndexBuilder {

    private final UserKey userKey;
    private final MembershipIndex previous;
    private int nextOrdinal;
    private final Map<String, ObjectNode> users = new HashMap<>();
    private final Map<String, Ordinals> groupsOfUser = new HashMap<>();
    private final Map<String, Integer> groupOrdinals = new HashMap<>();
    /** By ordinal: the group's JSON and its members' ids. */
    private final Map<Integer, ObjectNode> groups = new HashMap<>();
    private final Map<Integer, List<String>> members = new HashMap<>();
    private String lastGroupId;   // the group of the previous membership, with its ordinal and member list
    private int lastOrdinal;
    private List<String> lastMembers;
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

    /** Adds a stored SCIM user; adding the same id again replaces it. */
    public IndexBuilder user(ObjectNode user) {
        String id = requireId(user, "user");
        users.put(id, user);
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
            members.put(ordinal, new ArrayList<>());
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
        // A snapshot sends a group's members together: the group is looked up once per run of them.
        if (!groupId.equals(lastGroupId)) {
            Integer ordinal = groupOrdinals.get(groupId);
            if (ordinal == null) {
                return this;
            }
            lastGroupId = groupId;
            lastOrdinal = ordinal;
            lastMembers = members.get(ordinal);
        }
        ObjectNode user = users.get(memberId);
        if (user == null || "Group".equals(memberType)) {
            return this;
        }
        Ordinals ordinals = groupsOfUser.get(memberId);
        if (ordinals == null) {
            ordinals = new Ordinals();
            groupsOfUser.put(memberId, ordinals);
        }
        if (ordinals.add(lastOrdinal)) {
            // The user's own id instance: one String per user, however many groups it is in.
            lastMembers.add(user.path("id").asText());
        }
        return this;
    }

    public MembershipIndex build(long version) {
        if (built) {
            throw new IllegalStateException("this builder already built the index of version " + version);
        }
        built = true;
        Map<String, DirectoryUser> byId = new HashMap<>(users.size() * 2);
        KeyMap.Builder byKey = new KeyMap.Builder();
        for (ObjectNode json : users.values()) {
            Ordinals ordinals = groupsOfUser.get(json.path("id").asText());
            DirectoryUser user = DirectoryUser.fromScim(json, userKey, ordinals == null ? new int[0] : ordinals.sorted());
            byId.put(user.id(), user);
            for (String key : user.keys()) {
                byKey.add(key, user.id());
            }
        }
        GroupEntry[] entries = new GroupEntry[nextOrdinal];
        Map<String, Integer> groupsById = new HashMap<>(groups.size() * 2);
        KeyMap.Builder byDisplayName = new KeyMap.Builder();
        KeyMap.Builder byExternalId = new KeyMap.Builder();
        for (Map.Entry<Integer, ObjectNode> group : groups.entrySet()) {
            int ordinal = group.getKey();
            List<String> ids = members.get(ordinal);
            Map<String, String> set = new HashMap<>(ids.size() * 2);
            for (String memberId : ids) {
                set.put(memberId, memberId);
            }
            GroupEntry entry = GroupEntry.fromScim(group.getValue(), HashTrie.of(set));
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

    /** The resource's id; a resource without one is malformed input, refused with the resource in the message. */
    static String requireId(ObjectNode resource, String kind) {
        var id = resource.get("id");
        if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
            throw new IllegalArgumentException("a " + kind + " without an \"id\" cannot be indexed: " + resource);
        }
        return id.textValue();
    }

    /** A growable set of small ints; users are in tens of groups, so a linear check beats hashing. */
    private static final class Ordinals {
        private int[] values = new int[4];
        private int size;

        boolean add(int ordinal) {
            for (int i = 0; i < size; i++) {
                if (values[i] == ordinal) {
                    return false;
                }
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = ordinal;
            return true;
        }

        int[] sorted() {
            int[] result = Arrays.copyOf(values, size);
            Arrays.sort(result);
            return result;
        }
    }
}
