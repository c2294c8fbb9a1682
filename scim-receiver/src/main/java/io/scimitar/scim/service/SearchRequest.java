package io.scimitar.scim.service;

import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.filter.Filter;
import io.scimitar.scim.schema.ResourceType;
import java.util.List;
import java.util.Optional;

/**
 * A list or {@code .search} query (RFC 7644 §3.4.2, §3.4.3), already parsed and validated.
 *
 * @param types      the resource types to search (both for a search at the root)
 * @param startIndex 1-based index of the first result (values below 1 are read as 1)
 * @param count      the page size; 0 asks only for {@code totalResults}
 */
public record SearchRequest(
        List<ResourceType> types,
        Optional<Filter> filter,
        int startIndex,
        int count,
        Optional<AttributePath> sortBy,
        boolean descending,
        Projection projection) {

    public SearchRequest {
        types = List.copyOf(types);
    }
}
