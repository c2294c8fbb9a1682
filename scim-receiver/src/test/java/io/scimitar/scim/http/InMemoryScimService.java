package io.scimitar.scim.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.ListResult;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.service.ScimResource;
import io.scimitar.scim.service.ScimService;
import io.scimitar.scim.service.SearchRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A tiny in-memory {@link ScimService} for the HTTP layer's tests: a stand-in until the JDBC-backed
 * service is merged; the e2e tests use the real one. It ignores filters, applies a path-less
 * {@code replace} only, and projects by dropping top-level excluded attributes. It records the
 * last search and projection so tests can see what the HTTP layer passed on.
 */
class InMemoryScimService implements ScimService {

    private final Map<String, ScimResource> resources = new LinkedHashMap<>();
    private final AtomicLong versions = new AtomicLong();
    final AtomicReference<SearchRequest> lastSearch = new AtomicReference<>();
    final AtomicReference<Projection> lastProjection = new AtomicReference<>();

    @Override
    public synchronized ScimResource create(ResourceType type, ObjectNode body, Projection projection) {
        String id = UUID.randomUUID().toString();
        ObjectNode json = body.deepCopy();
        json.put("id", id);
        return store(type, id, json, projection);
    }

    @Override
    public synchronized ScimResource get(ResourceType type, String id, Projection projection) {
        return project(find(type, id), projection);
    }

    @Override
    public synchronized ScimResource replace(ResourceType type, String id, ObjectNode body, Optional<String> ifMatch,
            Projection projection) {
        check(find(type, id), ifMatch);
        ObjectNode json = body.deepCopy();
        json.put("id", id);
        return store(type, id, json, projection);
    }

    @Override
    public synchronized ScimResource patch(ResourceType type, String id, ObjectNode patchOp, Optional<String> ifMatch,
            Projection projection) {
        ScimResource current = find(type, id);
        check(current, ifMatch);
        ObjectNode json = current.json().deepCopy();
        for (JsonNode op : patchOp.path("Operations")) {
            if (op.path("value") instanceof ObjectNode value) {
                json.setAll(value);
            }
        }
        return store(type, id, json, projection);
    }

    @Override
    public synchronized void delete(ResourceType type, String id, Optional<String> ifMatch) {
        check(find(type, id), ifMatch);
        resources.remove(key(type, id));
    }

    @Override
    public synchronized ListResult search(SearchRequest request) {
        lastSearch.set(request);
        List<ScimResource> matches = resources.values().stream()
                .filter(r -> request.types().contains(r.type())).toList();
        List<ScimResource> page = new ArrayList<>();
        for (int i = request.startIndex() - 1; i < matches.size() && page.size() < request.count(); i++) {
            page.add(project(matches.get(i), request.projection()));
        }
        return new ListResult(matches.size(), request.startIndex(), page);
    }

    private ScimResource store(ResourceType type, String id, ObjectNode json, Projection projection) {
        long version = versions.incrementAndGet();
        json.putObject("meta").put("resourceType", type.wireName()).put("version", ScimResource.etagOf(version));
        ScimResource resource = new ScimResource(type, id, json, version);
        resources.put(key(type, id), resource);
        return project(resource, projection);
    }

    private ScimResource project(ScimResource resource, Projection projection) {
        lastProjection.set(projection);
        ObjectNode json = resource.json().deepCopy();
        for (AttributePath excluded : projection.excludedAttributes()) {
            json.remove(excluded.attribute());
        }
        return new ScimResource(resource.type(), resource.id(), json, resource.version());
    }

    private ScimResource find(ResourceType type, String id) {
        ScimResource resource = resources.get(key(type, id));
        if (resource == null) {
            throw ScimException.notFound("no " + type.wireName() + " with this id");
        }
        return resource;
    }

    private static void check(ScimResource resource, Optional<String> ifMatch) {
        if (ifMatch.isPresent() && !ifMatch.get().equals("*") && !ifMatch.get().equals(resource.etag())) {
            throw ScimException.preconditionFailed("the resource has changed");
        }
    }

    private static String key(ResourceType type, String id) {
        return type.name() + "/" + id;
    }
}
