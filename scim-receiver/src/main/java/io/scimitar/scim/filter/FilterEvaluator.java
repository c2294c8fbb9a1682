package io.scimitar.scim.filter;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
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
            case Filter.Present present -> scope.resolve(present.path()).stream().anyMatch(v -> isPresent(v.node()));
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
            boolean present = values.stream().anyMatch(v -> isPresent(v.node()));
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
        if (def == null && kind == AttributeDef.Type.BOOLEAN && isOrdering(op)) {
            return false; // only a schema-defined boolean makes ordering a refused filter
        }
        return switch (kind) {
            case BOOLEAN -> compareBoolean(op, value.node(), operand, compare);
            case INTEGER, DECIMAL -> compareNumber(op, value.node(), operand);
            case DATE_TIME -> compareDateTime(op, value.node(), operand, compare);
            case BINARY -> {
                if (isOrdering(op)) {
                    throw orderingRefused(compare, "binary");
                }
                yield compareString(op, value.node(), operand, true);
            }
            case STRING, REFERENCE, COMPLEX -> compareString(op, value.node(), operand, def != null && def.caseExact());
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

    private static boolean compareString(CompareOp op, JsonNode actual, JsonNode operand, boolean caseExact) {
        if (!operand.isTextual() && !operand.isNumber()) {
            return false; // a string never equals true or false
        }
        if (!actual.isValueNode()) {
            return false;
        }
        String have = actual.asText();
        String want = operand.asText();
        if (!caseExact) {
            have = have.toLowerCase(Locale.ROOT);
            want = want.toLowerCase(Locale.ROOT);
        }
        return switch (op) {
            case EQ -> have.equals(want);
            case NE -> !have.equals(want);
            case CO -> have.contains(want);
            case SW -> have.startsWith(want);
            case EW -> have.endsWith(want);
            // RFC 7644 §3.4.2.2: strings order lexicographically.
            case GT -> have.compareTo(want) > 0;
            case GE -> have.compareTo(want) >= 0;
            case LT -> have.compareTo(want) < 0;
            case LE -> have.compareTo(want) <= 0;
        };
    }

    private boolean compareBoolean(CompareOp op, JsonNode actual, JsonNode operand, Filter.Compare compare) {
        if (isOrdering(op)) {
            throw orderingRefused(compare, "boolean");
        }
        Optional<Boolean> have = asBoolean(actual);
        Optional<Boolean> want = asBoolean(operand);
        if (have.isEmpty() || want.isEmpty()) {
            return false;
        }
        return switch (op) {
            case EQ -> have.get().equals(want.get());
            case NE -> !have.get().equals(want.get());
            default -> false;
        };
    }

    /** Booleans, and the strings "true"/"false" that some clients store or send (Entra's "False"). */
    private static Optional<Boolean> asBoolean(JsonNode node) {
        if (node.isBoolean()) {
            return Optional.of(node.booleanValue());
        }
        if (node.isTextual()) {
            String text = node.textValue();
            if (text.equalsIgnoreCase("true")) {
                return Optional.of(true);
            }
            if (text.equalsIgnoreCase("false")) {
                return Optional.of(false);
            }
        }
        return Optional.empty();
    }

    private static boolean compareNumber(CompareOp op, JsonNode actual, JsonNode operand) {
        Optional<BigDecimal> have = asNumber(actual);
        Optional<BigDecimal> want = asNumber(operand);
        if (have.isEmpty() || want.isEmpty()) {
            return false;
        }
        int order = have.get().compareTo(want.get());
        return switch (op) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case GT -> order > 0;
            case GE -> order >= 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case CO, SW, EW -> false; // substring operators have no meaning on numbers
        };
    }

    private static Optional<BigDecimal> asNumber(JsonNode node) {
        if (node.isNumber()) {
            return Optional.of(node.decimalValue());
        }
        if (node.isTextual() && node.textValue().length() <= 100) {
            try {
                return Optional.of(new BigDecimal(node.textValue().trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private boolean compareDateTime(CompareOp op, JsonNode actual, JsonNode operand, Filter.Compare compare) {
        if (op == CompareOp.CO || op == CompareOp.SW || op == CompareOp.EW) {
            return compareString(op, actual, operand, false);
        }
        Instant want = operandInstant(compare);
        Optional<Instant> have = actual.isTextual() ? instant(actual.textValue()) : Optional.empty();
        if (have.isEmpty()) {
            return false; // a stored value that is not a dateTime matches nothing
        }
        int order = have.get().compareTo(want);
        return switch (op) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case GT -> order > 0;
            case GE -> order >= 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case CO, SW, EW -> false;
        };
    }

    private static Instant operandInstant(Filter.Compare compare) {
        JsonNode operand = compare.value();
        return (operand.isTextual() ? instant(operand.textValue()) : Optional.<Instant>empty())
                .orElseThrow(() -> ScimException.invalidFilter("\"" + compare.path() + "\" is a dateTime; "
                        + operand + " is not an xsd:dateTime such as \"2011-05-13T04:42:34Z\""));
    }

    /** xsd:dateTime as SCIM uses it (RFC 7643 §2.3.5): with a zone, "Z" or an offset. */
    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The refusals that depend on the attribute's type, not on the resource. */
    private void checkOperand(Filter.Compare compare, AttributeDef def) {
        if (def == null || compare.value().isNull()) {
            return;
        }
        boolean ordering = isOrdering(compare.op());
        switch (def.type()) {
            case BOOLEAN -> {
                if (ordering) {
                    throw orderingRefused(compare, "boolean");
                }
            }
            case BINARY -> {
                if (ordering) {
                    throw orderingRefused(compare, "binary");
                }
            }
            case DATE_TIME -> {
                if (compare.op() != CompareOp.CO && compare.op() != CompareOp.SW && compare.op() != CompareOp.EW) {
                    operandInstant(compare);
                }
            }
            default -> {
            }
        }
    }

    private static boolean isOrdering(CompareOp op) {
        return op == CompareOp.GT || op == CompareOp.GE || op == CompareOp.LT || op == CompareOp.LE;
    }

    private static ScimException orderingRefused(Filter.Compare compare, String kind) {
        // RFC 7644 §3.4.2.2: gt/ge/lt/le on boolean or binary attributes is a failed response.
        return ScimException.invalidFilter("operator '" + compare.op().wireName() + "' cannot be used on the "
                + kind + " attribute \"" + compare.path() + "\"");
    }

    /** pr (RFC 7644 §3.4.2.2): a non-null value that is not an empty string, array or object. */
    private static boolean isPresent(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (node.isTextual()) {
            return !node.textValue().isEmpty();
        }
        if (node.isContainerNode()) {
            return !node.isEmpty();
        }
        return true;
    }

    /** The field with this name, matched case-insensitively as RFC 7643 §2.1 requires. */
    static JsonNode field(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode direct = object.get(name);
        if (direct != null) {
            return direct;
        }
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
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
