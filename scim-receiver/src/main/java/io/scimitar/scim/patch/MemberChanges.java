package io.scimitar.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.filter.CompareOp;
import io.scimitar.scim.filter.Filter;
import io.scimitar.scim.filter.FilterEvaluator;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The net effect of a request's operations on a group's members, composed in order. Without
 * {@code replaceAll} the members become (current − removed) ∪ added; with it, exactly added.
 * {@code added} and {@code removed} stay disjoint, so "add X, remove X" ends with X removed and
 * "remove X, add X" with X added, whatever the group held before.
 */
final class MemberChanges {

    private static final AttributePath MEMBERS = AttributePath.of("members");

    private final MemberSource source;
    private final FilterEvaluator evaluator;
    private boolean replaceAll;
    private final Map<String, ObjectNode> added = new LinkedHashMap<>();
    private final Set<String> removed = new LinkedHashSet<>();

    MemberChanges(MemberSource source, FilterEvaluator evaluator) {
        this.source = source;
        this.evaluator = evaluator;
    }

    void add(Map<String, ObjectNode> members) {
        members.forEach((id, element) -> {
            removed.remove(id);
            added.put(id, element);
        });
    }

    void remove(Collection<String> ids) {
        for (String id : ids) {
            added.remove(id);
            if (!replaceAll) {
                removed.add(id);
            }
        }
    }

    void replaceAll(Map<String, ObjectNode> members) {
        replaceAll = true;
        added.clear();
        removed.clear();
        added.putAll(members);
    }

    /**
     * The ids of the members, as they stand after the operations so far, that match a filter
     * relative to a member. {@code value eq "id"} (alone or or-ed) needs no read of the group
     * when {@code mustExist} is false: removing a non-member is harmless.
     */
    Set<String> select(Filter filter, boolean mustExist) {
        Optional<Set<String>> direct = valueEquals(filter);
        if (direct.isPresent() && !mustExist) {
            return direct.get();
        }
        Set<String> matched = new LinkedHashSet<>();
        for (ObjectNode member : current().values()) {
            if (evaluator.matchesElement(MEMBERS, filter, member)) {
                matched.add(member.path("value").asText());
            }
        }
        return matched;
    }

    MemberDelta delta() {
        return new MemberDelta(replaceAll, added.keySet(), removed);
    }

    private Map<String, ObjectNode> current() {
        Map<String, ObjectNode> members = new LinkedHashMap<>();
        if (!replaceAll) {
            for (ObjectNode member : source.members()) {
                String id = member.path("value").asText("");
                if (!id.isEmpty() && !removed.contains(id)) {
                    members.put(id, member);
                }
            }
        }
        added.forEach(members::putIfAbsent);
        return members;
    }

    /** The ids of {@code value eq "a" or value eq "b" ...}, or empty for any other filter. */
    private static Optional<Set<String>> valueEquals(Filter filter) {
        return switch (filter) {
            case Filter.Compare c when c.op() == CompareOp.EQ && !c.path().hasUrn()
                    && c.path().attribute().equalsIgnoreCase("value") && c.path().subAttribute().isEmpty()
                    && c.value().isTextual() -> Optional.of(new LinkedHashSet<>(Set.of(c.value().asText())));
            case Filter.Or or -> {
                Optional<Set<String>> left = valueEquals(or.left());
                Optional<Set<String>> right = valueEquals(or.right());
                if (left.isEmpty() || right.isEmpty()) {
                    yield Optional.empty();
                }
                Set<String> both = new LinkedHashSet<>(left.get());
                both.addAll(right.get());
                yield Optional.of(both);
            }
            default -> Optional.empty();
        };
    }

}
