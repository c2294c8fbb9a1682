package io.scimitar.scim.service;

import java.util.List;

/** One page of a query: the total number of matches and the resources of this page. */
public record ListResult(long totalResults, int startIndex, List<ScimResource> resources) {

    public ListResult {
        resources = List.copyOf(resources);
    }
}
