package io.scimitar.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.filter.PatchPath;
import java.util.Optional;

/** One operation of a PATCH request (RFC 7644 §3.5.2), after the IdP quirks were normalised. */
public record PatchOperation(Op op, Optional<PatchPath> path, Optional<JsonNode> value) {

    public enum Op { ADD, REMOVE, REPLACE }
}
