package io.scimitar.scim.e2e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.filter.FilterEvaluator;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.patch.MemberDelta;
import io.scimitar.scim.patch.PatchEngine;
import io.scimitar.scim.patch.PatchRequest;
import io.scimitar.scim.patch.PatchResult;
import io.scimitar.scim.patch.ResourceNormalizer;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.ListResult;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.service.ScimResource;
import io.scimitar.scim.service.ScimService;
import io.scimitar.scim.service.SearchRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A temporary in-memory directory built from the merged engines (normaliser, PATCH engine, filter
 * evaluator), used by {@link Directory} only until the JDBC-backed DirectoryService is in main.
 * It keeps the contract the e2e tests rely on: a version per accepted write, userName uniqueness,
 * ETags, members kept apart from the group.
 */
final class StandInDirectory implements ScimService {

    private record Entry(ObjectNode json, long version, Set<String> members) {
    }

    private final Map<ResourceType, Map<String, Entry>> resources = new LinkedHashMap<>();
    private long version;

    StandInDirectory() {
        for (ResourceType type : ResourceType.values()) {
            resources.put(type, new LinkedHashMap<>());
        }
    }

    synchronized long version() {
        return version;
    }

    @Override
    public synchronized ScimResource create(ResourceType type, ObjectNode body, Projection projection) {
        ResourceNormalizer normalizer = new ResourceNormalizer(type);
        ObjectNode json = normalizer.normalize(body);
        Set<String> members = new LinkedHashSet<>(normalizer.members(body));
        String id = UUID.randomUUID().toString();
        checkUnique(type, id, json);
        checkMembers(members);
        String now = Instant.now().toString();
        return commit(type, id, json, members, now, projection);
    }

    @Override
    public synchronized ScimResource get(ResourceType type, String id, Projection projection) {
        return view(type, id, find(type, id), projection);
    }

    @Override
    public synchronized ScimResource replace(ResourceType type, String id, ObjectNode body, Optional<String> ifMatch,
            Projection projection) {
        Entry current = find(type, id);
        check(current, ifMatch);
        ResourceNormalizer normalizer = new ResourceNormalizer(type);
        ObjectNode json = normalizer.normalize(body);
        Set<String> members = new LinkedHashSet<>(normalizer.members(body));
        checkUnique(type, id, json);
        checkMembers(members);
        return commit(type, id, json, members, current.json().path("meta").path("created").asText(), projection);
    }

    @Override
    public synchronized ScimResource patch(ResourceType type, String id, ObjectNode patchOp, Optional<String> ifMatch,
            Projection projection) {
        Entry current = find(type, id);
        check(current, ifMatch);
        ObjectNode before = current.json().deepCopy();
        before.remove("meta");
        before.remove("id");
        PatchResult result = new PatchEngine(type).apply(before, PatchRequest.parse(patchOp),
                () -> current.members().stream().map(m -> Json.object().put("value", m).put("type", "User")).toList());
        MemberDelta delta = result.members();
        Set<String> members = new LinkedHashSet<>(delta.replaceAll() ? Set.of() : current.members());
        members.removeAll(delta.removed());
        members.addAll(delta.added());
        checkMembers(delta.added());
        ObjectNode json = result.resource();
        json.remove("id");
        json.remove("meta");
        checkUnique(type, id, json);
        return commit(type, id, json, members, current.json().path("meta").path("created").asText(), projection);
    }

    @Override
    public synchronized void delete(ResourceType type, String id, Optional<String> ifMatch) {
        check(find(type, id), ifMatch);
        resources.get(type).remove(id);
        resources.get(ResourceType.GROUP).values().forEach(g -> g.members().remove(id));
        version++;
    }

    @Override
    public synchronized ListResult search(SearchRequest request) {
        List<ScimResource> matches = new ArrayList<>();
        for (ResourceType type : request.types()) {
            FilterEvaluator evaluator = new FilterEvaluator(type);
            for (Map.Entry<String, Entry> e : resources.get(type).entrySet()) {
                ObjectNode full = withMembers(e.getValue(), Projection.DEFAULT);
                if (request.filter().isEmpty() || evaluator.matches(request.filter().get(), full)) {
                    matches.add(view(type, e.getKey(), e.getValue(), request.projection()));
                }
            }
        }
        request.sortBy().ifPresent(sort -> matches.sort((a, b) -> {
            int c = sortKey(a, sort).compareTo(sortKey(b, sort));
            return request.descending() ? -c : c;
        }));
        int from = Math.max(1, request.startIndex()) - 1;
        List<ScimResource> page = matches.stream().skip(from).limit(request.count()).toList();
        return new ListResult(matches.size(), from + 1, page);
    }

    private static String sortKey(ScimResource r, AttributePath sort) {
        var node = r.json().path(sort.attribute());
        if (!sort.subAttribute().isEmpty()) {
            node = node.path(sort.subAttribute());
        }
        return node.asText("").toLowerCase(Locale.ROOT);
    }

    private ScimResource commit(ResourceType type, String id, ObjectNode json, Set<String> members, String created,
            Projection projection) {
        long v = ++version;
        json.put("id", id);
        json.putObject("meta").put("resourceType", type.wireName()).put("created", created)
                .put("lastModified", Instant.now().toString()).put("version", ScimResource.etagOf(v));
        Entry entry = new Entry(json, v, members);
        resources.get(type).put(id, entry);
        return view(type, id, entry, projection);
    }

    private ScimResource view(ResourceType type, String id, Entry entry, Projection projection) {
        return new ScimResource(type, id, withMembers(entry, projection), entry.version());
    }

    private ObjectNode withMembers(Entry entry, Projection projection) {
        ObjectNode json = entry.json().deepCopy();
        boolean membersExcluded = projection.excludedAttributes().stream()
                .anyMatch(a -> a.attribute().equalsIgnoreCase("members"));
        if (!entry.members().isEmpty() && !membersExcluded) {
            ArrayNode array = json.putArray("members");
            entry.members().forEach(m -> array.addObject().put("value", m));
        }
        for (AttributePath excluded : projection.excludedAttributes()) {
            json.remove(excluded.attribute());
        }
        return json;
    }

    private void checkUnique(ResourceType type, String id, ObjectNode json) {
        String key = type == ResourceType.USER ? "userName" : null;
        if (key == null) {
            return;
        }
        String name = json.path(key).asText().toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Entry> e : resources.get(type).entrySet()) {
            if (!e.getKey().equals(id) && e.getValue().json().path(key).asText().toLowerCase(Locale.ROOT).equals(name)) {
                throw ScimException.uniqueness(key + " is already taken");
            }
        }
    }

    private void checkMembers(Set<String> members) {
        for (String m : members) {
            if (!resources.get(ResourceType.USER).containsKey(m) && !resources.get(ResourceType.GROUP).containsKey(m)) {
                throw ScimException.invalidValue("no user or group with id " + m);
            }
        }
    }

    private Entry find(ResourceType type, String id) {
        Entry entry = resources.get(type).get(id);
        if (entry == null) {
            throw ScimException.notFound("no " + type.wireName() + " with id " + id);
        }
        return entry;
    }

    private static void check(Entry entry, Optional<String> ifMatch) {
        if (ifMatch.isPresent() && !ifMatch.get().equals("*")
                && !ifMatch.get().contains(ScimResource.etagOf(entry.version()))) {
            throw ScimException.preconditionFailed("the resource has changed");
        }
    }
}
