package io.scimitar.scim.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.filter.Filter;
import io.scimitar.scim.filter.FilterParser;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.schema.Schemas;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.service.SearchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the query parameters of a list request (RFC 7644 §3.4.2) or the body of a
 * {@code .search} request (§3.4.3) into a {@link SearchRequest}. Bad values are 400s:
 * {@code invalidFilter} for the filter, {@code invalidValue} for the paging and sorting values.
 */
final class SearchParameters {

    private final int maxResults;

    SearchParameters(int maxResults) {
        this.maxResults = maxResults;
    }

    SearchRequest fromQuery(Map<String, List<String>> query, List<ResourceType> types) {
        return build(types,
                single(query, "filter"),
                single(query, "startIndex").map(v -> integer("startIndex", v)),
                single(query, "count").map(v -> integer("count", v)),
                single(query, "sortBy"),
                single(query, "sortOrder"),
                projection(query));
    }

    SearchRequest fromBody(ObjectNode body, List<ResourceType> types) {
        if (!declaresSearchRequest(body.get("schemas"))) {
            throw ScimException.invalidSyntax("a .search body must list \"" + Schemas.SEARCH_REQUEST + "\" in schemas");
        }
        Optional<String> filter = text(body, "filter", ScimException::invalidFilter);
        Optional<Integer> startIndex = field(body, "startIndex").map(v -> integer("startIndex", v));
        Optional<Integer> count = field(body, "count").map(v -> integer("count", v));
        Optional<String> sortBy = text(body, "sortBy", ScimException::invalidValue);
        Optional<String> sortOrder = text(body, "sortOrder", ScimException::invalidValue);
        Projection projection = Projection.parse(strings(body, "attributes"), strings(body, "excludedAttributes"));
        return build(types, filter, startIndex, count, sortBy, sortOrder, projection);
    }

    /** The {@code attributes} / {@code excludedAttributes} query parameters of any request. */
    static Projection projection(Map<String, List<String>> query) {
        return Projection.parse(query.getOrDefault("attributes", List.of()),
                query.getOrDefault("excludedAttributes", List.of()));
    }

    private SearchRequest build(List<ResourceType> types, Optional<String> filterText, Optional<Integer> startIndex,
            Optional<Integer> count, Optional<String> sortByText, Optional<String> sortOrder, Projection projection) {
        Optional<Filter> filter = filterText.map(f -> {
            if (f.isBlank()) {
                throw ScimException.invalidFilter("the filter is empty");
            }
            return FilterParser.parse(f);
        });
        // RFC 7644 §3.4.2.4: startIndex below 1 is read as 1, a negative count as 0, and the
        // service provider may return fewer results than asked (never more than maxResults).
        int start = Math.max(1, startIndex.orElse(1));
        int pageSize = Math.min(maxResults, Math.max(0, count.orElse(maxResults)));
        Optional<AttributePath> sortBy = sortByText.filter(s -> !s.isBlank())
                .map(s -> FilterParser.parseAttributePath(s.strip()));
        boolean descending = sortOrder.map(SearchParameters::descending).orElse(false);
        return new SearchRequest(types, filter, start, pageSize, sortBy, descending, projection);
    }

    private static boolean descending(String sortOrder) {
        return switch (sortOrder.strip().toLowerCase(Locale.ROOT)) {
            case "ascending" -> false;
            case "descending" -> true;
            default -> throw ScimException.invalidValue("sortOrder must be \"ascending\" or \"descending\"");
        };
    }

    private static Optional<String> single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ScimException.invalidValue("the query parameter " + name + " is given more than once");
        }
        return Optional.of(values.get(0));
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ScimException.invalidValue(name + " must be an integer");
        }
    }

    private static int integer(String name, JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isTextual()) {
            return integer(name, value.textValue());
        }
        throw ScimException.invalidValue(name + " must be an integer");
    }

    private static boolean declaresSearchRequest(JsonNode schemas) {
        if (schemas == null || !schemas.isArray()) {
            return false;
        }
        for (JsonNode schema : schemas) {
            if (schema.isTextual() && schema.textValue().equalsIgnoreCase(Schemas.SEARCH_REQUEST)) {
                return true;
            }
        }
        return false;
    }

    /** A field looked up case-insensitively (attribute names are, RFC 7643 §2.1); JSON null reads as absent. */
    private static Optional<JsonNode> field(ObjectNode body, String name) {
        return Json.property(body, name).map(Map.Entry::getValue).filter(v -> !v.isNull());
    }

    private static Optional<String> text(ObjectNode body, String name,
            java.util.function.Function<String, ScimException> error) {
        return field(body, name).map(v -> {
            if (!v.isTextual()) {
                throw error.apply(name + " must be a string");
            }
            return v.textValue();
        });
    }

    /** An array of strings as RFC 7644 §3.4.3 defines it; a comma-separated string is accepted too. */
    private static List<String> strings(ObjectNode body, String name) {
        Optional<JsonNode> value = field(body, name);
        if (value.isEmpty()) {
            return List.of();
        }
        JsonNode node = value.get();
        if (node.isTextual()) {
            return List.of(node.textValue());
        }
        if (!node.isArray()) {
            throw ScimException.invalidValue(name + " must be an array of attribute names");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw ScimException.invalidValue(name + " must be an array of attribute names");
            }
            result.add(item.textValue());
        }
        return result;
    }
}
