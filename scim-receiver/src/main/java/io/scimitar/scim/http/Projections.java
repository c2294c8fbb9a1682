package io.scimitar.scim.http;

import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.schema.Schemas;
import io.scimitar.scim.service.Projection;

/** The projections the HTTP layer chooses itself, beyond what the request asked for. */
final class Projections {

    private Projections() {
    }

    /**
     * The projection for a group PATCH response: without {@code members} unless the request asked
     * for them. RFC 7644 §3.5.2 lets a PATCH answer 204 or 200 with the resource; we answer 200
     * (Okta and Entra ID read it) but leave out the member list, so the cost of a membership change
     * stays O(1) in the group's size instead of serialising 50,000 members on every call.
     */
    static Projection forGroupPatch(Projection requested) {
        boolean asksForMembers = requested.attributes().stream().anyMatch(Projections::isMembers);
        if (asksForMembers) {
            return requested;
        }
        return requested.excluding(AttributePath.of("members"));
    }

    private static boolean isMembers(AttributePath path) {
        return path.attribute().equalsIgnoreCase("members")
                && (!path.hasUrn() || path.urn().equalsIgnoreCase(Schemas.GROUP));
    }
}
