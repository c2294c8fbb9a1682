package io.scimitar.scim.patch;

import java.util.Set;

/**
 * What a PATCH or PUT does to a group's members, without materialising the member list:
 * when {@code replaceAll} is set the group's members become exactly {@code added}; otherwise
 * {@code removed} is taken away and then {@code added} is added. Ids are member resource ids.
 */
public record MemberDelta(boolean replaceAll, Set<String> added, Set<String> removed) {

    public static final MemberDelta NONE = new MemberDelta(false, Set.of(), Set.of());

    public MemberDelta {
        added = Set.copyOf(added);
        removed = Set.copyOf(removed);
    }

    public boolean isEmpty() {
        return !replaceAll && added.isEmpty() && removed.isEmpty();
    }
}
