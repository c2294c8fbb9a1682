package io.scimitar.scim.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.schema.ResourceType;

/**
 * A resource as the service returns it: its JSON (with {@code schemas}, {@code id} and
 * {@code meta} except {@code meta.location}, which the HTTP layer adds) and the version its
 * ETag names.
 */
public record ScimResource(ResourceType type, String id, ObjectNode json, long version) {

    /** The weak ETag of this version, as sent in {@code ETag} and {@code meta.version}. */
    public String etag() {
        return etagOf(version);
    }

    public static String etagOf(long version) {
        return "W/\"" + version + "\"";
    }
}
