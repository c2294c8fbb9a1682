package io.scimitar.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.filter.CompareOp;
import io.scimitar.scim.filter.Filter;
import io.scimitar.scim.filter.FilterEvaluator;
import io.scimitar.scim.filter.FilterParser;
import io.scimitar.scim.filter.PatchPath;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.patch.PatchOperation.Op;
import io.scimitar.scim.schema.AttributeDef;
import io.scimitar.scim.schema.AttributeDef.Mutability;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.schema.Schema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Applies PATCH operations (RFC 7644 §3.5.2) to a resource. The input resource is not changed.
 * For groups, operations on {@code members} become a {@link MemberDelta} rather than edits of a
 * member array, so that adding one member to a 50,000-member group costs O(1).
 */
public final class PatchEngine {

    private final ResourceType type;
    private final FilterEvaluator evaluator;
    private final ResourceNormalizer normalizer;

    public PatchEngine(ResourceType type) {
        this.type = type;
        this.evaluator = new FilterEvaluator(type);
        this.normalizer = new ResourceNormalizer(type);
    }

    /**
     * Applies the operations in order to a copy of {@code resource}; on any error nothing is
     * applied (the exception names the operation's index and path), so the caller commits all or nothing.
     *
     * @param resource the current resource, normalised (for groups, without members)
     * @param members  the group's current members, read only when a filter needs them
     */
    public PatchResult apply(ObjectNode resource, List<PatchOperation> operations, MemberSource members) {
        ObjectNode doc = resource.deepCopy();
        if (!doc.has("schemas")) {
            doc.putArray("schemas").add(type.core().id());
        }
        MemberChanges changes = new MemberChanges(members, evaluator);
        for (int i = 0; i < operations.size(); i++) {
            PatchOperation operation = operations.get(i);
            try {
                new Step(doc, operation.op(), changes).run(operation);
            } catch (ScimException e) {
                throw withContext(e, "operation " + i + " (" + describe(operation) + ")");
            }
        }
        ObjectNode result;
        try {
            result = normalizer.normalize(doc);
        } catch (ScimException e) {
            throw withContext(e, "the patched resource");
        }
        return new PatchResult(result, changes.delta());
    }

    private static ScimException withContext(ScimException e, String where) {
        String detail = where + ": " + e.detail();
        return e.scimType().map(t -> ScimException.of(t, detail)).orElseGet(() -> ScimException.status(e.status(), detail));
    }

    private static String describe(PatchOperation operation) {
        String op = operation.op().name().toLowerCase(Locale.ROOT);
        return operation.path().map(p -> op + " " + describe(p)).orElse(op + " without a path");
    }

    static String describe(PatchPath path) {
        return path.attribute() + path.valueFilter().map(f -> "[…]").orElse("")
                + (path.subAttribute().isEmpty() ? "" : "." + path.subAttribute());
    }

    /** Where a path leads: a whole extension object, or an attribute of the core or an extension schema. */
    private sealed interface Target {
    }

    private record ExtensionObject(Schema schema) implements Target {
    }

    /** @param extension the extension schema holding the attribute, or empty for core and common attributes */
    private record Attribute(Optional<Schema> extension, AttributeDef def) implements Target {
    }

    /** One operation against the working copy. */
    private final class Step {

        private final ObjectNode doc;
        private final Op op;
        private final MemberChanges changes;

        Step(ObjectNode doc, Op op, MemberChanges changes) {
            this.doc = doc;
            this.op = op;
            this.changes = changes;
        }

        void run(PatchOperation operation) {
            JsonNode value = operation.value().orElse(null);
            if (operation.path().isPresent()) {
                atPath(operation.path().get(), value, false);
            } else {
                pathless(value);
            }
        }

        /**
         * RFC 7644 §3.5.2.1/3: without a path the value is a set of attributes. Each key is read as a
         * path, which also covers Entra's dotted and URN-qualified keys ({@code "name.givenName"}).
         */
        private void pathless(JsonNode value) {
            if (value == null || !value.isObject()) {
                throw ScimException.invalidValue("without a path the value must be an object of attributes");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                if (key.equalsIgnoreCase("schemas")) {
                    continue; // Okta may send the resource's own schemas along
                }
                if (isUnknownExtension(key)) {
                    setUnknown(key, field.getValue());
                    continue;
                }
                atPath(parseKey(key), field.getValue(), true);
            }
        }

        private PatchPath parseKey(String key) {
            Optional<Schema> ext = type.extension(key);
            if (ext.isPresent()) {
                return new PatchPath(new AttributePath("", ext.get().id(), ""), Optional.empty(), "");
            }
            try {
                return FilterParser.parsePatchPath(key);
            } catch (ScimException e) {
                throw ScimException.invalidPath("attribute \"" + key + "\" in the value: " + e.detail());
            }
        }

        /**
         * @param inValue true when the path is a key of a path-less value: read-only attributes
         *                there are ignored (Okta sends {@code id}, RFC 7644 §3.5.1), not refused
         */
        private void atPath(PatchPath path, JsonNode value, boolean inValue) {
            Target target = resolve(path.attribute());
            if (target instanceof ExtensionObject(Schema ext)) {
                extensionObject(ext, path, value);
                return;
            }
            Attribute attribute = (Attribute) target;
            AttributeDef def = attribute.def();
            String sub = path.valueFilter().isPresent() ? path.subAttribute() : path.attribute().subAttribute();
            if (path.valueFilter().isPresent() && !path.attribute().subAttribute().isEmpty()) {
                throw ScimException.invalidPath("a value filter applies to an attribute, not to a sub-attribute");
            }
            if (type == ResourceType.GROUP && attribute.extension().isEmpty() && def.name().equals("members")) {
                if (!sub.isEmpty() && def.subAttribute(sub).isEmpty()) {
                    throw ScimException.invalidPath("\"members\" has no sub-attribute \"" + sub + "\"");
                }
                members(path.valueFilter(), sub, value, inValue);
                return;
            }
            if (def.mutability() == Mutability.READ_ONLY) {
                if (inValue) {
                    return;
                }
                throw ScimException.mutability("\"" + def.name() + "\" is read-only");
            }
            if (def.mutability() == Mutability.WRITE_ONLY) {
                return; // password: accepted and never stored
            }
            Optional<AttributeDef> subDef = Optional.empty();
            if (!sub.isEmpty()) {
                if (!def.isComplex()) {
                    throw ScimException.invalidPath("\"" + def.name() + "\" has no sub-attributes");
                }
                subDef = Optional.of(def.subAttribute(sub).orElseThrow(() -> ScimException.invalidPath(
                        "\"" + def.name() + "\" has no sub-attribute \"" + sub + "\"")));
                if (subDef.get().mutability() == Mutability.READ_ONLY) {
                    if (inValue) {
                        return;
                    }
                    throw ScimException.mutability("\"" + def.name() + "." + subDef.get().name() + "\" is read-only");
                }
            }
            if (value == null && op != Op.REMOVE) {
                // a null inside a path-less value: add ignores it, replace unassigns (RFC 7643 §2.5)
                if (op == Op.ADD) {
                    return;
                }
                atPathRemove(attribute, def, path, subDef);
                return;
            }
            ObjectNode container = container(attribute.extension(), op != Op.REMOVE);
            if (container == null) {
                return; // removing from an extension the resource does not have
            }
            checkImmutable(def, container);
            if (path.valueFilter().isPresent()) {
                if (!def.multiValued()) {
                    throw ScimException.invalidPath("a value filter needs a multi-valued attribute; \"" + def.name() + "\" is single-valued");
                }
                new MultiValued(container, def).filtered(path.valueFilter().get(), subDef, value);
            } else if (def.multiValued()) {
                MultiValued multi = new MultiValued(container, def);
                if (subDef.isPresent()) {
                    multi.everyElement(subDef.get(), value);
                } else {
                    multi.whole(value);
                }
            } else if (subDef.isPresent()) {
                complexSub(container, def, subDef.get(), value);
            } else {
                single(container, def, value);
            }
        }

        private void atPathRemove(Attribute attribute, AttributeDef def, PatchPath path, Optional<AttributeDef> subDef) {
            ObjectNode container = container(attribute.extension(), false);
            if (container == null) {
                return;
            }
            JsonNode current = container.get(def.name());
            if (subDef.isPresent() && current != null && current.isObject()) {
                ((ObjectNode) current).remove(subDef.get().name());
            } else if (subDef.isEmpty()) {
                container.remove(def.name());
            }
        }

        private Target resolve(AttributePath path) {
            String urn = path.urn();
            String name = path.attribute();
            // The extension URN as a whole ("…:enterprise:2.0:User"), however the parser split it.
            Optional<Schema> whole = type.extension(urn.isEmpty() ? name : urn + ":" + name);
            if (whole.isPresent() && path.subAttribute().isEmpty()) {
                return new ExtensionObject(whole.get());
            }
            if (!urn.isEmpty() && !urn.equalsIgnoreCase(type.core().id())) {
                Schema ext = type.extension(urn).orElseThrow(() -> ScimException.invalidPath(
                        "unknown schema \"" + urn + "\" for a " + type.wireName()));
                return new Attribute(Optional.of(ext), ext.attribute(name).orElseThrow(() -> unknown(path)));
            }
            Optional<AttributeDef> inCore = type.coreAttribute(name);
            if (inCore.isPresent()) {
                return new Attribute(Optional.empty(), inCore.get());
            }
            if (urn.isEmpty()) {
                // IdPs sometimes leave the URN off an extension attribute ("department").
                for (Schema ext : type.extensions()) {
                    Optional<AttributeDef> def = ext.attribute(name);
                    if (def.isPresent()) {
                        return new Attribute(Optional.of(ext), def.get());
                    }
                }
            }
            throw unknown(path);
        }

        private ScimException unknown(AttributePath path) {
            return ScimException.invalidPath("\"" + path + "\" is not an attribute of a " + type.wireName());
        }

        private boolean isUnknownExtension(String key) {
            if (!key.regionMatches(true, 0, "urn:", 0, 4)) {
                return false;
            }
            List<String> known = new ArrayList<>();
            known.add(type.core().id());
            type.extensions().forEach(s -> known.add(s.id()));
            return known.stream().noneMatch(id -> key.equalsIgnoreCase(id)
                    || key.regionMatches(true, 0, id + ":", 0, id.length() + 1));
        }

        /** An IdP's own extension, kept as sent; add merges into an existing object. */
        private void setUnknown(String key, JsonNode value) {
            String existingKey = Json.property(doc, key).map(Map.Entry::getKey).orElse(key);
            JsonNode existing = doc.get(existingKey);
            if (value == null || value.isNull()) {
                if (op == Op.REPLACE) {
                    doc.remove(existingKey);
                }
                return;
            }
            if (op == Op.ADD && existing != null && existing.isObject() && value.isObject()) {
                ((ObjectNode) existing).setAll((ObjectNode) value.deepCopy());
            } else {
                doc.set(existingKey, value.deepCopy());
            }
            ArrayNode schemas = (ArrayNode) doc.get("schemas");
            boolean listed = false;
            for (JsonNode s : schemas) {
                listed |= s.asText().equalsIgnoreCase(existingKey);
            }
            if (!listed && value.isObject()) {
                schemas.add(existingKey);
            }
        }

        private void extensionObject(Schema ext, PatchPath path, JsonNode value) {
            if (path.valueFilter().isPresent() || !path.subAttribute().isEmpty()) {
                throw ScimException.invalidPath("\"" + ext.id() + "\" is a schema, not a multi-valued attribute");
            }
            if (op == Op.REMOVE) {
                Json.property(doc, ext.id()).ifPresent(e -> doc.remove(e.getKey()));
                return;
            }
            if (value == null) {
                if (op == Op.REPLACE) {
                    Json.property(doc, ext.id()).ifPresent(e -> doc.remove(e.getKey()));
                }
                return;
            }
            if (!value.isObject()) {
                throw ScimException.invalidValue("the value for \"" + ext.id() + "\" must be an object of its attributes");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                Schema schema = ext;
                AttributeDef def = schema.attribute(field.getKey()).orElseThrow(() -> ScimException.invalidPath(
                        "\"" + field.getKey() + "\" is not an attribute of " + schema.id()));
                atPath(new PatchPath(new AttributePath(ext.id(), def.name(), ""), Optional.empty(), ""),
                        field.getValue(), true);
            }
        }

        /** The object holding the attribute: the resource, or its extension object (created for add/replace). */
        private ObjectNode container(Optional<Schema> extension, boolean create) {
            if (extension.isEmpty()) {
                return doc;
            }
            String id = extension.get().id();
            Optional<Map.Entry<String, JsonNode>> existing = Json.property(doc, id);
            if (existing.isPresent() && existing.get().getValue().isObject()) {
                return (ObjectNode) existing.get().getValue();
            }
            if (!create) {
                return null;
            }
            existing.ifPresent(e -> doc.remove(e.getKey()));
            return doc.putObject(id);
        }

        /** RFC 7644 §3.5.2: an immutable attribute may be added when it has no value, never changed. */
        private void checkImmutable(AttributeDef def, ObjectNode container) {
            if (def.mutability() == Mutability.IMMUTABLE && field(container, def).isPresent()
                    && !(op == Op.ADD && !def.multiValued())) {
                throw ScimException.mutability("\"" + def.name() + "\" is immutable and already has a value");
            }
        }

        private void single(ObjectNode container, AttributeDef def, JsonNode value) {
            if (op == Op.REMOVE) {
                removeField(container, def);
                return;
            }
            Optional<JsonNode> canonical = AttributeValues.canonical(def, value, def.name());
            if (canonical.isEmpty()) {
                if (op == Op.REPLACE && !def.isComplex()) {
                    removeField(container, def);
                }
                return;
            }
            JsonNode current = field(container, def).orElse(null);
            if (def.mutability() == Mutability.IMMUTABLE && current != null && !current.equals(canonical.get())) {
                throw ScimException.mutability("\"" + def.name() + "\" is immutable and already has a value");
            }
            removeField(container, def);
            if (def.isComplex() && current != null && current.isObject()) {
                // RFC 7644 §3.5.2.1/3: sub-attributes not in the value are left unchanged.
                ObjectNode merged = ((ObjectNode) current).deepCopy();
                merged.setAll((ObjectNode) canonical.get());
                container.set(def.name(), merged);
            } else {
                container.set(def.name(), canonical.get());
            }
        }

        private void complexSub(ObjectNode container, AttributeDef def, AttributeDef sub, JsonNode value) {
            JsonNode current = field(container, def).orElse(null);
            if (op == Op.REMOVE) {
                if (current != null && current.isObject()) {
                    removeField((ObjectNode) current, sub);
                    if (current.isEmpty()) {
                        removeField(container, def);
                    }
                }
                return;
            }
            Optional<JsonNode> canonical = AttributeValues.element(sub, value, def.name() + "." + sub.name());
            ObjectNode object;
            if (current != null && current.isObject()) {
                object = (ObjectNode) current;
            } else {
                removeField(container, def);
                object = container.putObject(def.name());
            }
            removeField(object, sub);
            canonical.ifPresent(v -> object.set(sub.name(), v));
        }

        /** Operations on {@code members} of a group: recorded as a {@link MemberDelta}, never as an array. */
        private void members(Optional<Filter> filter, String sub, JsonNode value, boolean inValue) {
            if (!sub.isEmpty()) {
                throw ScimException.mutability("members." + sub + " cannot be changed; add or remove the member instead");
            }
            switch (op) {
                case ADD -> {
                    if (filter.isPresent()) {
                        throw ScimException.invalidPath("add to members takes the path \"members\", without a filter");
                    }
                    if (value != null) {
                        changes.add(ResourceNormalizer.memberElements(value, "members"));
                    }
                }
                case REPLACE -> {
                    if (filter.isPresent()) {
                        var matched = changes.select(filter.get(), true);
                        if (matched.isEmpty()) {
                            throw ScimException.noTarget("no member matches the filter");
                        }
                        changes.remove(matched);
                        changes.add(ResourceNormalizer.memberElements(value, "members"));
                    } else if (value == null) {
                        changes.replaceAll(Map.of());
                    } else {
                        // Okta pushes a group as replace members [...]; an empty list clears it.
                        changes.replaceAll(value.isArray() && value.isEmpty()
                                ? Map.of() : ResourceNormalizer.memberElements(value, "members"));
                    }
                }
                case REMOVE -> {
                    if (filter.isPresent()) {
                        changes.remove(changes.select(filter.get(), false));
                    } else if (value != null && !inValue) {
                        // Entra ID: {"op":"Remove","path":"members","value":[{"value":"id"}]} removes those members only.
                        if (!(value.isArray() && value.isEmpty())) {
                            changes.remove(ResourceNormalizer.memberElements(value, "members").keySet());
                        }
                    } else {
                        changes.replaceAll(Map.of());
                    }
                }
            }
        }

        /** The operations on one multi-valued attribute (RFC 7644 §3.5.2, RFC 7643 §2.4 for primary). */
        private final class MultiValued {

            private final ObjectNode container;
            private final AttributeDef def;
            private final ArrayNode elements;
            private final List<JsonNode> touched = new ArrayList<>();

            MultiValued(ObjectNode container, AttributeDef def) {
                this.container = container;
                this.def = def;
                JsonNode current = field(container, def).orElse(null);
                this.elements = current != null && current.isArray() ? ((ArrayNode) current).deepCopy() : Json.array();
            }

            void whole(JsonNode value) {
                switch (op) {
                    case REMOVE -> {
                        if (value == null) {
                            elements.removeAll();
                        } else {
                            removeMatching(value);
                        }
                    }
                    case REPLACE -> {
                        elements.removeAll();
                        AttributeValues.canonical(def, value, def.name()).ifPresent(v -> v.forEach(this::append));
                    }
                    case ADD -> AttributeValues.canonical(def, value, def.name()).ifPresent(v -> v.forEach(this::append));
                }
                store();
            }

            /** A sub-attribute without a filter ({@code emails.type}) addresses every element. */
            void everyElement(AttributeDef sub, JsonNode value) {
                if (op == Op.REMOVE) {
                    elements.forEach(e -> ((ObjectNode) e).remove(sub.name()));
                } else {
                    Optional<JsonNode> canonical = AttributeValues.element(sub, value, def.name() + "." + sub.name());
                    if (canonical.isEmpty()) {
                        return;
                    }
                    if (elements.isEmpty()) {
                        append(Json.object().set(sub.name(), canonical.get()));
                    }
                    for (JsonNode element : elements) {
                        ((ObjectNode) element).set(sub.name(), canonical.get());
                        touched.add(element);
                    }
                }
                store();
            }

            void filtered(Filter filter, Optional<AttributeDef> sub, JsonNode value) {
                AttributePath path = new AttributePath("", def.name(), "");
                List<ObjectNode> matches = new ArrayList<>();
                for (JsonNode element : elements) {
                    if (element.isObject() && evaluator.matchesElement(path, filter, element)) {
                        matches.add((ObjectNode) element);
                    }
                }
                switch (op) {
                    case REMOVE -> {
                        for (ObjectNode match : matches) {
                            if (sub.isPresent()) {
                                match.remove(sub.get().name());
                            } else {
                                removeIdentical(match);
                            }
                        }
                    }
                    case REPLACE -> {
                        if (matches.isEmpty()) {
                            // RFC 7644 §3.5.2.3: a value filter that matches nothing is noTarget.
                            throw ScimException.noTarget("no value of \"" + def.name() + "\" matches the filter");
                        }
                        setOnMatches(matches, sub, value, true);
                    }
                    case ADD -> {
                        if (matches.isEmpty()) {
                            // Entra adds emails[type eq "work"].value to a user without a work email:
                            // create the element the filter's equalities describe.
                            ObjectNode created = equalities(filter).orElseThrow(() -> ScimException.noTarget(
                                    "no value of \"" + def.name() + "\" matches the filter"));
                            elements.add(created);
                            matches.add(created);
                        }
                        setOnMatches(matches, sub, value, false);
                    }
                }
                store();
            }

            private void setOnMatches(List<ObjectNode> matches, Optional<AttributeDef> sub, JsonNode value, boolean replace) {
                if (sub.isPresent()) {
                    Optional<JsonNode> canonical = AttributeValues.element(sub.get(), value,
                            def.name() + "." + sub.get().name());
                    for (ObjectNode match : matches) {
                        match.remove(sub.get().name());
                        canonical.ifPresent(v -> match.set(sub.get().name(), v));
                        touched.add(match);
                    }
                    return;
                }
                JsonNode canonical = AttributeValues.element(def, value, def.name()).orElse(Json.object());
                for (ObjectNode match : matches) {
                    if (replace) {
                        // RFC 7644 §3.5.2.3: all matching record values are replaced.
                        match.removeAll();
                    }
                    match.setAll((ObjectNode) canonical.deepCopy());
                    touched.add(match);
                }
            }

            /** {@code type eq "work" and ...} as the object {@code {"type":"work", ...}}; empty for any other filter. */
            private Optional<ObjectNode> equalities(Filter filter) {
                return switch (filter) {
                    case Filter.Compare c when c.op() == CompareOp.EQ && !c.path().hasUrn()
                            && c.path().subAttribute().isEmpty()
                            && def.subAttribute(c.path().attribute()).isPresent() -> {
                        AttributeDef sub = def.subAttribute(c.path().attribute()).get();
                        yield AttributeValues.element(sub, c.value(), def.name() + "." + sub.name())
                                .map(v -> Json.object().set(sub.name(), v));
                    }
                    case Filter.And and -> {
                        Optional<ObjectNode> left = equalities(and.left());
                        Optional<ObjectNode> right = equalities(and.right());
                        yield left.isPresent() && right.isPresent()
                                ? Optional.of(left.get().setAll(right.get())) : Optional.empty();
                    }
                    default -> Optional.empty();
                };
            }

            /** Remove with a value (the Entra form, generalised): removes the elements that carry every given sub-attribute. */
            private void removeMatching(JsonNode value) {
                Optional<JsonNode> canonical = AttributeValues.canonical(def, value, def.name());
                if (canonical.isEmpty()) {
                    return;
                }
                for (JsonNode wanted : canonical.get()) {
                    for (int i = elements.size() - 1; i >= 0; i--) {
                        if (contains(elements.get(i), wanted)) {
                            elements.remove(i);
                        }
                    }
                }
            }

            private boolean contains(JsonNode element, JsonNode wanted) {
                if (!wanted.isObject()) {
                    return element.equals(wanted);
                }
                Iterator<Map.Entry<String, JsonNode>> it = wanted.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> field = it.next();
                    JsonNode have = element.get(field.getKey());
                    boolean caseExact = def.subAttribute(field.getKey()).map(AttributeDef::caseExact).orElse(true);
                    boolean same = have != null && (have.equals(field.getValue()) || (!caseExact && have.isTextual()
                            && have.asText().equalsIgnoreCase(field.getValue().asText())));
                    if (!same) {
                        return false;
                    }
                }
                return true;
            }

            private void append(JsonNode element) {
                for (JsonNode existing : elements) {
                    if (existing.equals(element)) {
                        touched.add(existing); // RFC 7644 §3.5.2.1: a value already present is not added again
                        return;
                    }
                }
                JsonNode copy = element.deepCopy();
                elements.add(copy);
                touched.add(copy);
            }

            private void removeIdentical(JsonNode element) {
                for (int i = 0; i < elements.size(); i++) {
                    if (elements.get(i) == element) {
                        elements.remove(i);
                        return;
                    }
                }
            }

            private void store() {
                // RFC 7644 §3.5.2: setting primary on one value sets it to false on the others.
                JsonNode winner = null;
                for (JsonNode element : touched) {
                    if (element.path("primary").asBoolean(false)) {
                        winner = element;
                    }
                }
                if (winner != null) {
                    for (JsonNode element : elements) {
                        if (element != winner && element.path("primary").asBoolean(false)) {
                            ((ObjectNode) element).put("primary", false);
                        }
                    }
                }
                for (int i = elements.size() - 1; i >= 0; i--) {
                    if (elements.get(i).isEmpty()) {
                        elements.remove(i); // a value whose last sub-attribute was removed
                    }
                }
                removeField(container, def);
                if (!elements.isEmpty()) {
                    container.set(def.name(), elements);
                }
            }
        }
    }

    private static Optional<JsonNode> field(ObjectNode container, AttributeDef def) {
        return Json.property(container, def.name()).map(Map.Entry::getValue);
    }

    private static void removeField(ObjectNode container, AttributeDef def) {
        Json.property(container, def.name()).ifPresent(e -> container.remove(e.getKey()));
    }
}
