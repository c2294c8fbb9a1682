package io.scimitar.index;

import java.util.Set;

/**
 * What one swap of the index changed, for revocation: the users whose decisions may differ between
 * the two versions (deactivated, deleted, renamed, moved between groups, or members of a group that
 * was renamed or deleted). After a resync from a snapshot nobody knows the difference, so
 * {@code everyUser} asks to re-check every open connection.
 */
public record IndexUpdate(MembershipIndex previous, MembershipIndex current, Set<String> affectedUserIds,
        boolean everyUser) {

    public IndexUpdate {
        affectedUserIds = Set.copyOf(affectedUserIds);
    }

    /** Whether a connection of this user must be re-authorized against {@link #current()}. */
    public boolean affects(String userId) {
        return everyUser || affectedUserIds.contains(userId);
    }

    /** Whether the index moved to a new version at all (a change already applied does not). */
    public boolean changed() {
        return previous != current;
    }
}
