package io.scimitar.scim.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The current members of a group, as {@code {"value","type","display"}} objects, read only when a
 * PATCH needs them (a member filter other than {@code value eq "..."}): the common operations
 * cost O(1) in the group's size.
 */
@FunctionalInterface
public interface MemberSource {

    List<ObjectNode> members();

    MemberSource NONE = List::of;
}
