package io.scimitar.scim.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.AttributeDef;
import io.scimitar.scim.schema.ResourceType;

/**
 * Evaluates a {@link Filter} against a resource's JSON, honouring the schema: attribute names
 * are matched case-insensitively, string comparisons honour {@code caseExact}, dateTime values
 * compare as instants, and a comparison on a multi-valued attribute matches when any element does.
 * {@code ne} matches when no value equals the operand, so it also matches a missing attribute.
 */
public final class FilterEvaluator {

    private final ResourceType type;

    public FilterEvaluator(ResourceType type) {
        this.type = type;
    }

    /** True when the resource matches the filter. */
    public boolean matches(Filter filter, ObjectNode resource) {
        return evaluate(filter, new ResourceScope(resource));
    }

    /**
     * True when one element of the multi-valued attribute {@code attribute} matches {@code filter},
     * whose paths are relative to the element (the inside of a value path).
     */
    public boolean matchesElement(AttributePath attribute, Filter filter, JsonNode element) {
        Optional<AttributeDef> def = type.attribute(attribute.urn(), attribute.attribute());
        return evaluate(filter, new ElementScope(element, def.orElse(null)));
    }

    /**
     * Refuses, without any resource at hand, what RFC 7644 §3.4.2.2 calls a failed filter:
     * ordering operators on boolean or binary attributes and dateTime operands that are not
     * instants. {@link #matches} refuses the same, but only once it meets such a comparison.
     */
    public void validate(Filter filter) {
        switch (filter) {
            case Filter.And and -> {
                validate(and.left());
                validate(and.right());
            }
            case Filter.Or or -> {
                validate(or.left());
                validate(or.right());
            }
            case Filter.Not not -> validate(not.inner());
            case Filter.Present present -> {
            }
            case Filter.Compare compare -> checkOperand(compare, topLevelDef(compare.path()));
            case Filter.ValuePath valuePath -> validateInside(valuePath.filter(),
                    type.attribute(valuePath.attribute().urn(), valuePath.attribute().attribute()).orElse(null));
        }
    }

    private void validateInside(Filter filter, AttributeDef parent) {
        switch (filter) {
            case Filter.And and -> {
                validateInside(and.left(), parent);
                validateInside(and.right(), parent);
            }
            case Filter.Or or -> {
                validateInside(or.left(), parent);
                validateInside(or.right(), parent);
            }
            case Filter.Not not -> validateInside(not.inner(), parent);
            case Filter.Present present -> {
            }
            case Filter.Compare compare -> checkOperand(compare, subDef(parent, compare.path()));
            case Filter.ValuePath valuePath -> {
            }
        }
    }

    private AttributeDef topLevelDef(AttributePath path) {
        AttributeDef def = type.attribute(path.urn(), path.attribute()).orElse(null);
        return path.sub().isEmpty() ? def : sub(def, path.subAttribute());
    }

    private static AttributeDef subDef(AttributeDef parent, AttributePath path) {
        AttributeDef def = sub(parent, path.attribute());
        return path.sub().isEmpty() ? def : sub(def, path.subAttribute());
    }

    private static AttributeDef sub(AttributeDef def, String name) {
        return def == null ? null : def.subAttribute(name).orElse(null);
    }

    private boolean evaluate(Filter filter, Scope scope) {
        return switch (filter) {
            case Filter.And and -> evaluate(and.left(), scope) && evaluate(and.right(), scope);
            case Filter.Or or -> evaluate(or.left(), scope) || evaluate(or.right(), scope);
            case Filter.Not not -> !evaluate(not.inner(), scope);
            case Filter.Present present -> scope.resolve(present.path()).stream().anyMatch(v -> ValueComparison.isPresent(v.node()));
            case Filter.Compare compare -> compare(compare, scope);
            case Filter.ValuePath valuePath -> valuePath(valuePath, scope);
        };
    }

    private boolean valuePath(Filter.ValuePath valuePath, Scope scope) {
        for (Value holder : scope.resolve(valuePath.attribute().parent())) {
            JsonNode node = holder.node();
            if (node.isArray()) {
                for (JsonNode element : node) {
                    if (element.isObject() && evaluate(valuePath.filter(), new ElementScope(element, holder.def()))) {
                        return true;
                    }
                }
            } else if (node.isObject() && evaluate(valuePath.filter(), new ElementScope(node, holder.def()))) {
                return true; // a single-valued complex attribute: name[givenName eq "Barbara"]
            }
        }
        return false;
    }

    private boolean compare(Filter.Compare compare, Scope scope) {
        List<Value> values = leaves(scope.resolve(compare.path()));
        JsonNode operand = compare.value();
        if (operand.isNull()) {
            // "attr eq null" asks for absence, "ne null" for presence; nothing else compares with null.
            boolean present = values.stream().anyMatch(v -> ValueComparison.isPresent(v.node()));
            return switch (compare.op()) {
                case EQ -> !present;
                case NE -> present;
                default -> false;
            };
        }
        if (values.isEmpty()) {
            checkOperand(compare, scope.definition(compare.path()));
        }
        if (compare.op() == CompareOp.NE) {
            for (Value value : values) {
                if (test(CompareOp.EQ, value, operand, compare)) {
                    return false;
                }
            }
            return true;
        }
        for (Value value : values) {
            if (test(compare.op(), value, operand, compare)) {
                return true;
            }
        }
        return false;
    }

    /** Expands arrays and, for a complex value compared as a whole, reads its {@code value} sub-attribute. */
    private static List<Value> leaves(List<Value> values) {
        List<Value> leaves = new ArrayList<>();
        for (Value value : values) {
            if (value.node().isArray()) {
                for (JsonNode element : value.node()) {
                    addLeaf(leaves, element, value.def());
                }
            } else {
                addLeaf(leaves, value.node(), value.def());
            }
        }
        return leaves;
    }

    private static void addLeaf(List<Value> leaves, JsonNode node, AttributeDef def) {
        if (node.isObject()) {
            // RFC 7644 §3.4.2.2: "emails co x" on a complex multi-valued attribute compares "value".
            JsonNode inner = field(node, "value");
            if (inner != null && !inner.isContainerNode()) {
                leaves.add(new Value(inner, sub(def, "value")));
            }
        } else if (!node.isNull() && !node.isMissingNode()) {
            leaves.add(new Value(node, def));
        }
    }

    private boolean test(CompareOp op, Value value, JsonNode operand, Filter.Compare compare) {
        AttributeDef def = value.def();
        AttributeDef.Type kind = def != null ? def.type() : inferred(value.node());
        if (def == null && kind == AttributeDef.Type.BOOLEAN && ValueComparison.isOrdering(op)) {
            return false; // only a schema-defined boolean makes ordering a refused filter
        }
        return switch (kind) {
            case BOOLEAN -> ValueComparison.compareBoolean(op, value.node(), operand, compare);
            case INTEGER, DECIMAL -> ValueComparison.compareNumber(op, value.node(), operand);
            case DATE_TIME -> ValueComparison.compareDateTime(op, value.node(), operand, compare);
            case BINARY -> {
                if (ValueComparison.isOrdering(op)) {
                    throw ValueComparison.orderingRefused(compare, "binary");
                }
                yield ValueComparison.compareString(op, value.node(), operand, true);
            }
            case STRING, REFERENCE, COMPLEX -> ValueComparison.compareString(op, value.node(), operand, def != null && def.caseExact());
        };
    }

    private static AttributeDef.Type inferred(JsonNode node) {
        if (node.isBoolean()) {
            return AttributeDef.Type.BOOLEAN;
        }
        if (node.isNumber()) {
            return AttributeDef.Type.DECIMAL;
        }
        return AttributeDef.Type.STRING;
    }

    /** The refusals that depend on the attribute's type, not on the resource. */
    private void checkOperand(Filter.Compare compare, AttributeDef def) {
        if (def == null || compare.value().isNull()) {
            return;
        }
        boolean ordering = ValueComparison.isOrdering(compare.op());
        switch (def.type()) {
            case BOOLEAN -> {
                if (ordering) {
                    throw ValueComparison.orderingRefused(compare, "boolean");
                }
            }
            case BINARY -> {
                if (ordering) {
                    throw ValueComparison.orderingRefused(compare, "binary");
                }
            }
            case DATE_TIME -> {
                if (compare.op() != CompareOp.CO && compare.op() != CompareOp.SW && compare.op() != CompareOp.EW) {
                    ValueComparison.operandInstant(compare);
                }
            }
            default -> {
            }
        }
    }

    /** The field with this name, matched case-insensitively as RFC 7643 §2.1 requires; null if absent. */
    static JsonNode field(JsonNode object, String name) {
        return Json.property(object, name).map(Map.Entry::getValue).orElse(null);
    }

    /** A JSON value found at a path, with its definition (null for attributes no schema defines). */
    private record Value(JsonNode node, AttributeDef def) {
    }

    /** Where the paths of a filter start: the resource, or one element inside a value path. */
    private interface Scope {

        /** The values at the path; a sub-attribute of a multi-valued attribute yields one per element. */
        List<Value> resolve(AttributePath path);

        AttributeDef definition(AttributePath path);
    }

    private static List<Value> descend(JsonNode node, AttributeDef def, AttributePath path) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (path.sub().isEmpty()) {
            return List.of(new Value(node, def));
        }
        AttributeDef subDef = sub(def, path.subAttribute());
        List<Value> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode element : node) {
                JsonNode inner = field(element, path.subAttribute());
                if (inner != null && !inner.isNull()) {
                    values.add(new Value(inner, subDef));
                }
            }
        } else {
            JsonNode inner = field(node, path.subAttribute());
            if (inner != null && !inner.isNull()) {
                values.add(new Value(inner, subDef));
            }
        }
        return values;
    }

    private final class ResourceScope implements Scope {

        private final ObjectNode resource;

        ResourceScope(ObjectNode resource) {
            this.resource = resource;
        }

        @Override
        public List<Value> resolve(AttributePath path) {
            AttributeDef def = type.attribute(path.urn(), path.attribute()).orElse(null);
            return descend(locate(path), def, path);
        }

        @Override
        public AttributeDef definition(AttributePath path) {
            return topLevelDef(path);
        }

        private JsonNode locate(AttributePath path) {
            if (path.hasUrn() && !path.urn().equalsIgnoreCase(type.core().id())) {
                JsonNode found = field(field(resource, path.urn()), path.attribute());
                if (found == null && path.sub().isEmpty()) {
                    // the extension object itself, written as its bare URN
                    found = field(resource, path.urn() + ":" + path.attribute());
                }
                return found;
            }
            JsonNode found = field(resource, path.attribute());
            if (found != null || path.hasUrn()) {
                return found;
            }
            // IdPs leave the URN off extension attributes ("department"): look inside the extensions.
            for (Map.Entry<String, JsonNode> entry : resource.properties()) {
                if (entry.getValue().isObject() && entry.getKey().regionMatches(true, 0, "urn:", 0, 4)) {
                    JsonNode inner = field(entry.getValue(), path.attribute());
                    if (inner != null) {
                        return inner;
                    }
                }
            }
            return null;
        }
    }

    /** Inside {@code attr[...]}: paths name sub-attributes of one element. */
    private record ElementScope(JsonNode element, AttributeDef parent) implements Scope {

        @Override
        public List<Value> resolve(AttributePath path) {
            return descend(field(element, path.attribute()), sub(parent, path.attribute()), path);
        }

        @Override
        public AttributeDef definition(AttributePath path) {
            return subDef(parent, path);
        }
    }
}
