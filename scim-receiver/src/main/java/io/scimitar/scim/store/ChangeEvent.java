package io.scimitar.scim.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One thing that changed in the directory. Users and groups travel as their full stored JSON
 * (groups without members); memberships travel as deltas, so a change to a 50,000-member group
 * does not rewrite the group. Deleting a user or a group implies removing it from every group.
 */
public sealed interface ChangeEvent {

    /** A user was created or changed, and is active (or was already inactive). */
    record UserUpserted(ObjectNode user) implements ChangeEvent {
    }

    /** A user went from active to inactive: the offboarding event. Carries the new resource. */
    record UserDeactivated(ObjectNode user) implements ChangeEvent {
    }

    record UserDeleted(String userId) implements ChangeEvent {
    }

    /** A group was created or its attributes (not its members) changed. */
    record GroupUpserted(ObjectNode group) implements ChangeEvent {
    }

    record GroupDeleted(String groupId) implements ChangeEvent {
    }

    record MembersAdded(String groupId, List<Member> members) implements ChangeEvent {
        public MembersAdded {
            members = List.copyOf(members);
        }
    }

    record MembersRemoved(String groupId, List<Member> members) implements ChangeEvent {
        public MembersRemoved {
            members = List.copyOf(members);
        }
    }

    /** A member reference: the member's id and whether it is a "User" or a "Group". */
    record Member(String id, String type) {
    }
}
