package io.scimitar.scim.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.schema.ResourceType;
import java.util.Optional;

/**
 * The SCIM operations on users and groups (RFC 7644 §3), independent of HTTP. Every write is
 * committed, and appended to the change log, before the method returns. Failures are
 * {@link io.scimitar.scim.error.ScimException}s. Methods block (JDBC): never call them on an event loop.
 */
public interface ScimService {

    ScimResource create(ResourceType type, ObjectNode body, Projection projection);

    ScimResource get(ResourceType type, String id, Projection projection);

    /** Full replace (PUT). {@code ifMatch} is the raw If-Match header; a mismatch is 412. */
    ScimResource replace(ResourceType type, String id, ObjectNode body, Optional<String> ifMatch,
            Projection projection);

    /** PATCH with a PatchOp message body. */
    ScimResource patch(ResourceType type, String id, ObjectNode patchOp, Optional<String> ifMatch,
            Projection projection);

    void delete(ResourceType type, String id, Optional<String> ifMatch);

    ListResult search(SearchRequest request);
}
