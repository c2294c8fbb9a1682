package io.scimitar.scim.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.filter.Filter;
import io.scimitar.scim.filter.FilterAnalysis;
import io.scimitar.scim.filter.FilterEvaluator;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.AttributeDef;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.store.DirectoryView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Queries on the in-memory {@link DirectoryView} (RFC 7644 §3.4.2): filter, sort, page. The lookups
 * IdPs make before every create ({@code userName eq}, {@code externalId eq}, {@code id eq},
 * {@code displayName eq}) are answered from the view's indexes; other filters scan.
 */
final class DirectoryQuery {

    private final DirectoryView view;
    private final int maxResults;

    DirectoryQuery(DirectoryView view, int maxResults) {
        this.view = view;
        this.maxResults = maxResults;
    }

    /**
     * The most comparisons a filter may make per resource. IdPs send one or two; a filter of
     * thousands of terms over every resource is work the server declines (RFC 7644 §3.12 tooMany).
     */
    static final int MAX_FILTER_TERMS = 100;

    /** One page of matches, unrendered (stored JSON; users without groups, groups without members). */
    ListResult search(SearchRequest request) {
        int startIndex = Math.max(1, request.startIndex());
        int count = Math.min(Math.max(0, request.count()), maxResults);
        request.filter().ifPresent(DirectoryQuery::checkPolicy);
        return view.read(r -> {
            List<ScimResource> matches = new ArrayList<>();
            for (ResourceType type : request.types()) {
                FilterEvaluator evaluator = new FilterEvaluator(type);
                request.filter().ifPresent(evaluator::validate);
                // The view computes a user's groups and a group's members; add them only when read.
                String computed = type == ResourceType.USER ? "groups" : "members";
                boolean needsMembership = request.filter()
                        .map(f -> FilterAnalysis.referencedAttributes(f).contains(computed)).orElse(false);
                for (ObjectNode candidate : candidates(r, type, request.filter())) {
                    ObjectNode subject = needsMembership ? withMembership(r, type, candidate) : candidate;
                    if (request.filter().isEmpty() || evaluator.matches(request.filter().get(), subject)) {
                        matches.add(new ScimResource(type, candidate.path("id").asText(), candidate,
                                EntityTags.version(candidate)));
                    }
                }
            }
            request.sortBy().ifPresent(path -> matches.sort(order(path, request.descending())));
            int from = Math.min(startIndex - 1, matches.size());
            int to = Math.min(from + count, matches.size());
            return new ListResult(matches.size(), startIndex, matches.subList(from, to));
        });
    }

    /**
     * Filters the server refuses before looking at any resource: one that names {@code password}
     * would carry a secret in a request URI (RFC 7644 §3.12 sensitive, §7.5.2), and one with more
     * than {@link #MAX_FILTER_TERMS} comparisons is too costly to evaluate.
     */
    private static void checkPolicy(Filter filter) {
        if (FilterAnalysis.referencedAttributes(filter).contains("password")) {
            throw ScimException.sensitive("filters may not name password: it would travel in the request URI");
        }
        int terms = FilterAnalysis.termCount(filter);
        if (terms > MAX_FILTER_TERMS) {
            throw ScimException.tooMany("the filter has " + terms + " comparisons; at most "
                    + MAX_FILTER_TERMS + " are evaluated");
        }
    }

    /** A copy of the user with its {@code groups} (RFC 7643 §4.1.2), before {@code meta}. */
    ObjectNode withGroups(DirectoryView.Reader r, ObjectNode user) {
        Set<String> groupIds = r.groupsOf(user.path("id").asText());
        if (groupIds.isEmpty()) {
            return user;
        }
        ArrayNode groups = user.arrayNode();
        for (String groupId : groupIds) {
            ObjectNode ref = groups.addObject().put("value", groupId);
            r.group(groupId).ifPresent(g -> ref.put("display", g.path("displayName").asText()));
            ref.put("type", "direct");
        }
        return insertBeforeMeta(user, "groups", groups);
    }

    /** A copy of the group with its {@code members} (value, display, type), before {@code meta}. */
    ObjectNode withMembers(DirectoryView.Reader r, ObjectNode group) {
        Map<String, String> members = r.members(group.path("id").asText());
        ArrayNode array = group.arrayNode();
        members.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(member -> {
            ObjectNode ref = array.addObject().put("value", member.getKey());
            display(r, member.getKey(), member.getValue()).ifPresent(d -> ref.put("display", d));
            ref.put("type", member.getValue());
        });
        return insertBeforeMeta(group, "members", array);
    }

    private static Optional<String> display(DirectoryView.Reader r, String id, String type) {
        if (type.equals("Group")) {
            return r.group(id).map(g -> g.path("displayName").asText());
        }
        return r.user(id).map(u -> u.hasNonNull("displayName") ? u.get("displayName").asText()
                : u.path("userName").asText());
    }

    private ObjectNode withMembership(DirectoryView.Reader r, ResourceType type, ObjectNode resource) {
        return type == ResourceType.USER ? withGroups(r, resource) : withMembers(r, resource);
    }

    private static ObjectNode insertBeforeMeta(ObjectNode resource, String name, JsonNode value) {
        ObjectNode copy = resource.objectNode();
        for (Map.Entry<String, JsonNode> field : resource.properties()) {
            if (field.getKey().equals("meta")) {
                copy.set(name, value);
            }
            copy.set(field.getKey(), field.getValue());
        }
        if (!copy.has(name)) {
            copy.set(name, value);
        }
        return copy;
    }

    /** The resources worth evaluating: an index hit for the IdPs' lookups, else every resource. */
    private static Collection<ObjectNode> candidates(DirectoryView.Reader r, ResourceType type,
            Optional<Filter> filter) {
        Optional<FilterAnalysis.Equality> equality = filter.flatMap(FilterAnalysis::simpleEquality);
        if (equality.isPresent()
                && (!equality.get().path().hasUrn() || type.core().id().equalsIgnoreCase(equality.get().path().urn()))) {
            String attribute = equality.get().path().attribute().toLowerCase(Locale.ROOT);
            String wanted = equality.get().value();
            Optional<Collection<String>> ids = switch (attribute) {
                case "id" -> Optional.of(List.of(wanted));
                case "externalid" -> Optional.of(type == ResourceType.USER
                        ? r.userIdsByExternalId(wanted) : r.groupIdsByExternalId(wanted));
                case "username" -> type == ResourceType.USER
                        ? Optional.of(r.userIdByUserName(wanted).map(List::of).orElse(List.of()))
                        : Optional.empty();
                case "displayname" -> type == ResourceType.GROUP
                        ? Optional.of(r.groupIdsByDisplayName(wanted)) : Optional.empty();
                default -> Optional.empty();
            };
            if (ids.isPresent()) {
                // The evaluator still runs on each hit, so index and filter semantics cannot drift apart.
                List<ObjectNode> hits = new ArrayList<>();
                for (String id : ids.get()) {
                    (type == ResourceType.USER ? r.user(id) : r.group(id)).ifPresent(hits::add);
                }
                return hits;
            }
        }
        return type == ResourceType.USER ? r.users() : r.groups();
    }

    /**
     * RFC 7644 §3.4.2.3: sort by the attribute's value (a multi-valued attribute by its primary or
     * first value); resources without a value sort last when ascending, first when descending.
     */
    private static Comparator<ScimResource> order(AttributePath path, boolean descending) {
        Comparator<ScimResource> ascending = (a, b) -> {
            Optional<JsonNode> x = sortValue(a, path);
            Optional<JsonNode> y = sortValue(b, path);
            if (x.isEmpty() || y.isEmpty()) {
                return Boolean.compare(x.isEmpty(), y.isEmpty());
            }
            return compare(a.type(), path, x.get(), y.get());
        };
        return descending ? ascending.reversed() : ascending;
    }

    private static Optional<JsonNode> sortValue(ScimResource resource, AttributePath path) {
        JsonNode container = path.hasUrn() && !resource.type().core().id().equalsIgnoreCase(path.urn())
                ? field(resource.json(), path.urn()) : resource.json();
        JsonNode value = container == null ? null : field(container, path.attribute());
        if (value != null && value.isArray()) {
            JsonNode chosen = null;
            for (JsonNode element : value) {
                if (chosen == null || element.path("primary").asBoolean(false)) {
                    chosen = element;
                }
            }
            value = chosen;
        }
        if (value != null && value.isObject()) {
            value = field(value, path.sub().orElse("value"));
        } else if (value != null && path.sub().isPresent()) {
            value = null;
        }
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    private static int compare(ResourceType type, AttributePath path, JsonNode x, JsonNode y) {
        if (x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue());
        }
        if (x.isBoolean() && y.isBoolean()) {
            return Boolean.compare(x.booleanValue(), y.booleanValue());
        }
        boolean caseExact = type.attribute(path.hasUrn() ? path.urn() : "", path.attribute())
                .map(def -> path.sub().flatMap(def::subAttribute).orElse(def))
                .map(AttributeDef::caseExact).orElse(false);
        String a = x.asText();
        String b = y.asText();
        return caseExact ? a.compareTo(b) : a.toLowerCase(Locale.ROOT).compareTo(b.toLowerCase(Locale.ROOT));
    }

    private static JsonNode field(JsonNode object, String name) {
        return Json.property(object, name).map(Map.Entry::getValue).orElse(null);
    }
}
