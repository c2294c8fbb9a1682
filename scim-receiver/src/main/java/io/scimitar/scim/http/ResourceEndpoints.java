package io.scimitar.scim.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.schema.Schemas;
import io.scimitar.scim.service.EntityTags;
import io.scimitar.scim.service.ListResult;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.service.ScimResource;
import io.scimitar.scim.service.ScimService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The Users and Groups endpoints (RFC 7644 §3.3–3.6): translates HTTP into {@link ScimService}
 * calls and the results into responses with {@code meta.location}, {@code ETag} and {@code Location}.
 * Runs on the blocking executor.
 */
final class ResourceEndpoints {

    private final ScimService service;
    private final SearchParameters search;

    ResourceEndpoints(ScimService service, int maxResults) {
        this.service = service;
        this.search = new SearchParameters(maxResults);
    }

    ScimResponse list(ResourceType type, ScimRequest request) {
        return listResponse(service.search(search.fromQuery(request.query(), List.of(type))), request.baseUrl());
    }

    ScimResponse search(List<ResourceType> types, ScimRequest request) {
        ObjectNode body = RequestBody.object(request);
        return listResponse(service.search(search.fromBody(body, types)), request.baseUrl());
    }

    ScimResponse create(ResourceType type, ScimRequest request) {
        ObjectNode body = RequestBody.object(request);
        ScimResource created = service.create(type, body, SearchParameters.projection(request.query()));
        String location = location(request.baseUrl(), created);
        return resource(201, created, request.baseUrl()).withHeader(HttpHeaderNames.LOCATION.toString(), location);
    }

    ScimResponse get(ResourceType type, String id, ScimRequest request) {
        ScimResource found = service.get(type, id, SearchParameters.projection(request.query()));
        Optional<String> ifNoneMatch = request.header(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch.isPresent() && EntityTags.matchesWeakly(ifNoneMatch.get(), found.etag())) {
            // RFC 9110 §13.1.2: unchanged, so no body; the ETag still goes out.
            return ScimResponse.empty(304).withHeader(HttpHeaderNames.ETAG.toString(), found.etag());
        }
        return resource(200, found, request.baseUrl());
    }

    ScimResponse replace(ResourceType type, String id, ScimRequest request) {
        ObjectNode body = RequestBody.object(request);
        ScimResource replaced = service.replace(type, id, body, request.header(HttpHeaderNames.IF_MATCH),
                SearchParameters.projection(request.query()));
        return resource(200, replaced, request.baseUrl());
    }

    ScimResponse patch(ResourceType type, String id, ScimRequest request) {
        ObjectNode body = RequestBody.object(request);
        Projection projection = SearchParameters.projection(request.query());
        if (type == ResourceType.GROUP) {
            projection = Projections.forGroupPatch(projection);
        }
        ScimResource patched = service.patch(type, id, body, request.header(HttpHeaderNames.IF_MATCH), projection);
        return resource(200, patched, request.baseUrl());
    }

    ScimResponse delete(ResourceType type, String id, ScimRequest request) {
        service.delete(type, id, request.header(HttpHeaderNames.IF_MATCH));
        return ScimResponse.empty(204);
    }

    private static ScimResponse resource(int status, ScimResource resource, String baseUrl) {
        return ScimResponse.json(status, withLocation(resource, baseUrl))
                .withHeader(HttpHeaderNames.ETAG.toString(), resource.etag());
    }

    private static ScimResponse listResponse(ListResult result, String baseUrl) {
        ObjectNode list = Json.object();
        list.putArray("schemas").add(Schemas.LIST_RESPONSE);
        list.put("totalResults", result.totalResults());
        list.put("startIndex", result.startIndex());
        list.put("itemsPerPage", result.resources().size());
        // Always present, even when empty: some clients index into Resources without checking.
        var resources = list.putArray("Resources");
        result.resources().forEach(r -> resources.add(withLocation(r, baseUrl)));
        return ScimResponse.json(200, list);
    }

    /**
     * The resource JSON with {@code meta.location} set. Copies only the root and {@code meta}
     * (O(number of top-level attributes)); large arrays such as members are shared, not copied.
     */
    private static ObjectNode withLocation(ScimResource resource, String baseUrl) {
        ObjectNode copy = Json.object();
        copy.setAll(resource.json());
        JsonNode meta = copy.get("meta");
        if (meta instanceof ObjectNode metaObject) {
            ObjectNode newMeta = Json.object();
            newMeta.setAll(metaObject);
            newMeta.put("location", location(baseUrl, resource));
            copy.set("meta", newMeta);
        }
        return copy;
    }

    private static String location(String baseUrl, ScimResource resource) {
        String id = URLEncoder.encode(resource.id(), StandardCharsets.UTF_8).replace("+", "%20");
        return baseUrl + resource.type().endpoint() + "/" + id;
    }
}
