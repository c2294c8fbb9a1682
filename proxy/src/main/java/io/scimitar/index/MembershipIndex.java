package io.scimitar.index;

import io.scimitar.authz.GroupRef;
import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.store.JdbcStore;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The directory as the sidecar reads it, at one version and never changed afterwards: users by the
 * configured {@link UserKey}, each with its active flag and the dense int ordinals of its groups,
 * and the groups a policy can name. Lookups do not lock and do not allocate.
 *
 * <p>Every structure is persistent (a {@link HashTrie} or an {@link OrdinalTable}), so the next
 * version, built by {@link DirectoryIndex#apply}, shares all it did not change with this one.
 * Group ordinals are never reused within a {@link DirectoryIndex}'s life: an ordinal that a policy
 * resolved against an older version can only stop matching (fail closed), never start matching a
 * different group. Membership is direct, as the receiver's {@code groups} attribute reports it
 * (type "direct"); groups nested in groups are not expanded.
 */
public final class MembershipIndex {

    final long version;
    final UserKey userKey;
    final HashTrie<String, DirectoryUser> usersById;
    /** Normalized claim key → user id(s); unused (empty) for {@link UserKey#ID}. */
    final KeyMap usersByKey;
    final OrdinalTable<GroupEntry> groups;
    final HashTrie<String, Integer> groupsById;
    final KeyMap groupsByDisplayName;
    final KeyMap groupsByExternalId;
    /** The ordinal the next new group gets. */
    final int nextOrdinal;

    MembershipIndex(long version, UserKey userKey, HashTrie<String, DirectoryUser> usersById, KeyMap usersByKey,
            OrdinalTable<GroupEntry> groups, HashTrie<String, Integer> groupsById, KeyMap groupsByDisplayName,
            KeyMap groupsByExternalId, int nextOrdinal) {
        this.version = version;
        this.userKey = userKey;
        this.usersById = usersById;
        this.usersByKey = usersByKey;
        this.groups = groups;
        this.groupsById = groupsById;
        this.groupsByDisplayName = groupsByDisplayName;
        this.groupsByExternalId = groupsByExternalId;
        this.nextOrdinal = nextOrdinal;
    }

    /** An empty directory at version 0. */
    public static MembershipIndex empty(UserKey userKey) {
        return new IndexBuilder(userKey).build(0);
    }

    /** The index of a store snapshot (everything in the tables at its version). */
    public static MembershipIndex of(JdbcStore.Snapshot snapshot, UserKey userKey) {
        return new IndexBuilder(userKey).build(snapshot);
    }

    /** The index of the view's current version, read under its read lock in one pass. */
    public static MembershipIndex of(DirectoryView view, UserKey userKey) {
        return view.read(r -> {
            IndexBuilder builder = new IndexBuilder(userKey);
            r.users().forEach(builder::user);
            r.groups().forEach(builder::group);
            for (var group : r.groups()) {
                String groupId = group.path("id").asText();
                r.members(groupId).forEach((memberId, type) -> builder.member(groupId, memberId, type));
            }
            return builder.build(r.version());
        });
    }

    /** The directory version (the change log's) this index reflects. */
    public long version() {
        return version;
    }

    public UserKey userKey() {
        return userKey;
    }

    /**
     * The user a token claim names under the configured key, active or not: empty when no user has
     * that key, or when several do (a shared email or externalId identifies nobody, see
     * {@link #isAmbiguous}). No allocation unless a case-insensitive claim has upper-case letters.
     */
    public Optional<DirectoryUser> user(String claimValue) {
        String id = userKey == UserKey.ID ? claimValue : usersByKey.unique(userKey.normalize(claimValue));
        DirectoryUser user = id == null ? null : usersById.get(id);
        return user == null ? Optional.empty() : user.asOptional();
    }

    /**
     * A claim value that finds {@code user} in this index (its id when users are keyed by id, else
     * its first key under the configured attribute), or null when none does. What an open
     * connection is checked again with: if the user loses that key, the check finds no one and the
     * connection closes (fail closed).
     */
    public String claimValue(DirectoryUser user) {
        if (userKey == UserKey.ID) {
            return user.id();
        }
        String[] keys = user.keys();
        return keys.length == 0 ? null : keys[0];
    }

    /** Whether more than one user has this claim value under the configured key (for the deny reason). */
    public boolean isAmbiguous(String claimValue) {
        return userKey != UserKey.ID && usersByKey.count(userKey.normalize(claimValue)) > 1;
    }

    /** The user with this SCIM id. */
    public Optional<DirectoryUser> userById(String id) {
        DirectoryUser user = usersById.get(id);
        return user == null ? Optional.empty() : user.asOptional();
    }

    /**
     * The ordinal of the one group a policy reference names in this version; empty when no group
     * matches or several do (two groups may share a displayName when the receiver allows it).
     */
    public OptionalInt groupOrdinal(GroupRef ref) {
        String id = switch (ref) {
            case GroupRef.ById byId -> byId.id();
            case GroupRef.ByDisplayName byName -> groupsByDisplayName.unique(byName.folded());
            case GroupRef.ByExternalId byExternalId -> groupsByExternalId.unique(byExternalId.externalId());
        };
        Integer ordinal = id == null ? null : groupsById.get(id);
        return ordinal == null ? OptionalInt.empty() : OptionalInt.of(ordinal);
    }

    /** Whether {@code user} is a direct member of the group; ordinals from this version only. */
    public boolean isMember(DirectoryUser user, int groupOrdinal) {
        return user.isMemberOf(groupOrdinal);
    }

    /** The displayName of a group of this version (for X-Scimitar-Groups). */
    public String displayName(int groupOrdinal) {
        return entry(groupOrdinal).displayName();
    }

    /** The group with this ordinal, if it exists in this version. */
    public Optional<DirectoryGroup> group(int groupOrdinal) {
        GroupEntry entry = groups.get(groupOrdinal);
        return entry == null ? Optional.empty() : Optional.of(entry.describe(groupOrdinal));
    }

    public int userCount() {
        return usersById.size();
    }

    public int groupCount() {
        return groups.count();
    }

    /** Calls {@code action} with every user, in no particular order. */
    public void forEachUser(Consumer<DirectoryUser> action) {
        usersById.forEach((id, user) -> action.accept(user));
    }

    /** Calls {@code action} with every group, in ordinal order. */
    public void forEachGroup(Consumer<DirectoryGroup> action) {
        groups.forEach((entry, ordinal) -> action.accept(entry.describe(ordinal)));
    }

    GroupEntry entry(int groupOrdinal) {
        GroupEntry entry = groups.get(groupOrdinal);
        if (entry == null) {
            throw new IllegalArgumentException("no group has ordinal " + groupOrdinal + " in directory version " + version);
        }
        return entry;
    }

    @Override
    public String toString() {
        return "MembershipIndex[version=" + version + ", key=" + userKey.attribute() + ", users=" + userCount()
                + ", groups=" + groupCount() + "]";
    }
}
