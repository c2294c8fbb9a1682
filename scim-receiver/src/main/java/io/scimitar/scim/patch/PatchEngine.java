package io.scimitar.scim.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.schema.ResourceType;
import java.util.List;

/**
 * Applies PATCH operations (RFC 7644 §3.5.2) to a resource. The input resource is not changed.
 * For groups, operations on {@code members} become a {@link MemberDelta} rather than edits of a
 * member array, so that adding one member to a 50,000-member group costs O(1).
 */
public final class PatchEngine {

    private final ResourceType type;

    public PatchEngine(ResourceType type) {
        this.type = type;
    }

    /**
     * @param resource the current resource, normalised (for groups, without members)
     * @param members  the group's current members, read only when a filter needs them
     */
    public PatchResult apply(ObjectNode resource, List<PatchOperation> operations, MemberSource members) {
        throw new UnsupportedOperationException("TODO");
    }
}
