package io.scimitar.scim.http;

import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.filter.FilterParser;
import io.scimitar.scim.schema.Schemas;
import io.scimitar.scim.service.Projection;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Projection} from the {@code attributes} / {@code excludedAttributes} values of
 * a request (RFC 7644 §3.4.2.5: comma-separated attribute paths).
 */
final class Projections {

    private Projections() {
    }

    static Projection parse(List<String> attributes, List<String> excludedAttributes) {
        if (attributes.isEmpty() && excludedAttributes.isEmpty()) {
            return Projection.DEFAULT;
        }
        return new Projection(paths(attributes), paths(excludedAttributes));
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
        List<AttributePath> excluded = new ArrayList<>(requested.excludedAttributes());
        excluded.add(AttributePath.of("members"));
        return new Projection(requested.attributes(), excluded);
    }

    private static boolean isMembers(AttributePath path) {
        return path.attribute().equalsIgnoreCase("members")
                && (!path.hasUrn() || path.urn().equalsIgnoreCase(Schemas.GROUP));
    }

    private static List<AttributePath> paths(List<String> values) {
        List<AttributePath> result = new ArrayList<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                String trimmed = item.strip();
                if (!trimmed.isEmpty()) {
                    result.add(FilterParser.parseAttributePath(trimmed));
                }
            }
        }
        return result;
    }
}
