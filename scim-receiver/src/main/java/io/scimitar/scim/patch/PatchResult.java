package io.scimitar.scim.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outcome of applying PATCH operations: the new resource (for groups, without
 * {@code members}) and the change to the group's members.
 */
public record PatchResult(ObjectNode resource, MemberDelta members) {
}
