package io.scimitar.scim.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.patch.MemberDelta;
import io.scimitar.scim.patch.PatchEngine;
import io.scimitar.scim.patch.PatchRequest;
import io.scimitar.scim.patch.PatchResult;
import io.scimitar.scim.patch.ResourceNormalizer;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.store.ChangeEvent;
import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.store.JdbcStore;
import io.scimitar.scim.store.StoreTransaction;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The SCIM operations on a {@link JdbcStore}: writes validate and change the current state inside
 * one store transaction (so several receivers on one database stay correct), reads and queries are
 * answered from the in-memory {@link DirectoryView}, which the store keeps current.
 */
public final class DirectoryService implements ScimService {

    /** Fixed millisecond precision, so that timestamps also sort correctly as strings. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private final JdbcStore store;
    private final DirectoryView view;
    private final DirectorySettings settings;
    private final DirectoryQuery query;

    /** {@code view} must follow {@code store} ({@link DirectoryView#follow(JdbcStore)}). */
    public DirectoryService(JdbcStore store, DirectoryView view, DirectorySettings settings) {
        this.store = store;
        this.view = view;
        this.settings = settings;
        this.query = new DirectoryQuery(view, settings.maxResults());
    }

    @Override
    public ScimResource create(ResourceType type, ObjectNode body, Projection projection) {
        ResourceNormalizer normalizer = new ResourceNormalizer(type);
        ObjectNode attributes = normalizer.normalize(body);
        Set<String> members = normalizer.members(body);
        ObjectNode written = store.write(tx -> {
            String id = UUID.randomUUID().toString();
            checkUnique(tx, type, id, attributes);
            ObjectNode resource = stamp(type, id, attributes, tx.now(), tx.now(), tx.version());
            if (type == ResourceType.USER) {
                tx.append(new ChangeEvent.UserUpserted(resource));
            } else {
                tx.append(new ChangeEvent.GroupUpserted(resource));
                List<ChangeEvent.Member> added = existingMembers(tx, id, members);
                if (!added.isEmpty()) {
                    tx.append(new ChangeEvent.MembersAdded(id, added));
                }
            }
            return resource;
        });
        return render(type, written, projection);
    }

    @Override
    public ScimResource get(ResourceType type, String id, Projection projection) {
        ObjectNode resource = view.read(r -> (type == ResourceType.USER ? r.user(id) : r.group(id)))
                .orElseThrow(() -> notFound(type, id));
        return render(type, resource, projection);
    }

    @Override
    public ScimResource replace(ResourceType type, String id, ObjectNode body, Optional<String> ifMatch,
            Projection projection) {
        ResourceNormalizer normalizer = new ResourceNormalizer(type);
        ObjectNode attributes = normalizer.normalize(body);
        MemberDelta members = type == ResourceType.GROUP
                ? new MemberDelta(true, normalizer.members(body), Set.of())
                : MemberDelta.NONE;
        ObjectNode written = store.write(tx -> {
            ObjectNode current = current(tx, type, id);
            EntityTags.check(ifMatch, current);
            return update(tx, type, id, current, attributes, members);
        });
        return render(type, written, projection);
    }

    @Override
    public ScimResource patch(ResourceType type, String id, ObjectNode patchOp, Optional<String> ifMatch,
            Projection projection) {
        var operations = PatchRequest.parse(patchOp);
        ObjectNode written = store.write(tx -> {
            ObjectNode current = current(tx, type, id);
            EntityTags.check(ifMatch, current);
            PatchResult result = new PatchEngine(type).apply(withoutServerAttributes(current), operations,
                    () -> tx.memberObjects(id));
            return update(tx, type, id, current, result.resource(), result.members());
        });
        return render(type, written, projection);
    }

    @Override
    public void delete(ResourceType type, String id, Optional<String> ifMatch) {
        store.write(tx -> {
            ObjectNode current = current(tx, type, id);
            EntityTags.check(ifMatch, current);
            tx.append(type == ResourceType.USER ? new ChangeEvent.UserDeleted(id) : new ChangeEvent.GroupDeleted(id));
            return null;
        });
    }

    @Override
    public ListResult search(SearchRequest request) {
        ListResult page = query.search(request);
        List<ScimResource> rendered = new ArrayList<>(page.resources().size());
        for (ScimResource resource : page.resources()) {
            rendered.add(render(resource.type(), resource.json(), request.projection()));
        }
        return new ListResult(page.totalResults(), page.startIndex(), rendered);
    }

    /**
     * Writes the new state of an existing resource: {@code attributes} (normalised, without server
     * attributes) and, for groups, the member change. Nothing is written when nothing changed.
     */
    private ObjectNode update(StoreTransaction tx, ResourceType type, String id, ObjectNode current,
            ObjectNode attributes, MemberDelta delta) {
        checkUnique(tx, type, id, attributes);
        List<ChangeEvent.Member> removed = List.of();
        List<ChangeEvent.Member> added = List.of();
        if (type == ResourceType.GROUP && !delta.isEmpty()) {
            Set<String> toRemove;
            Set<String> toAdd;
            if (delta.replaceAll()) {
                Set<String> present = new HashSet<>();
                tx.members(id).forEach(m -> present.add(m.id()));
                toRemove = new HashSet<>(present);
                toRemove.removeAll(delta.added());
                toAdd = new HashSet<>(delta.added());
                toAdd.removeAll(present);
            } else {
                toRemove = tx.membersAmong(id, delta.removed());
                toAdd = new HashSet<>(delta.added());
                toAdd.removeAll(tx.membersAmong(id, delta.added()));
            }
            removed = toRemove.isEmpty() ? List.of() : typed(tx, toRemove);
            added = existingMembers(tx, id, toAdd);
        }
        boolean attributesChanged = !attributes.equals(withoutServerAttributes(current));
        if (!attributesChanged && removed.isEmpty() && added.isEmpty()) {
            return current;
        }
        Instant created = Instant.parse(current.path("meta").path("created").asText());
        ObjectNode resource = stamp(type, id, attributes, created, tx.now(), tx.version());
        if (type == ResourceType.USER) {
            boolean wasActive = isActive(current);
            tx.append(wasActive && !isActive(resource)
                    ? new ChangeEvent.UserDeactivated(resource)
                    : new ChangeEvent.UserUpserted(resource));
        } else {
            // The group's meta (lastModified, version) changes with its members, so it is upserted too.
            tx.append(new ChangeEvent.GroupUpserted(resource));
            if (!removed.isEmpty()) {
                tx.append(new ChangeEvent.MembersRemoved(id, removed));
            }
            if (!added.isEmpty()) {
                tx.append(new ChangeEvent.MembersAdded(id, added));
            }
        }
        return resource;
    }

    /** A user without {@code active} is active: only an explicit {@code false} offboards. */
    static boolean isActive(ObjectNode user) {
        JsonNode active = user.get("active");
        return active == null || !active.isBoolean() || active.booleanValue();
    }

    private void checkUnique(StoreTransaction tx, ResourceType type, String id, ObjectNode attributes) {
        if (type == ResourceType.USER) {
            String userName = attributes.path("userName").asText();
            tx.userIdByUserName(userName).filter(other -> !other.equals(id)).ifPresent(other -> {
                throw ScimException.uniqueness("userName \"" + userName + "\" is already taken");
            });
        } else if (settings.groupDisplayNameUnique()) {
            String displayName = attributes.path("displayName").asText();
            if (tx.groupIdsByDisplayName(displayName).stream().anyMatch(other -> !other.equals(id))) {
                throw ScimException.uniqueness("a group with displayName \"" + displayName + "\" already exists");
            }
        }
    }

    /** The members to add, with their types; an id that names no user or group is refused. */
    private static List<ChangeEvent.Member> existingMembers(StoreTransaction tx, String groupId, Set<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        if (ids.contains(groupId)) {
            throw ScimException.invalidValue("members: a group cannot be a member of itself");
        }
        return typed(tx, ids);
    }

    /** The members with their types, in id order; an id that names no user or group is refused. */
    private static List<ChangeEvent.Member> typed(StoreTransaction tx, Set<String> ids) {
        Map<String, String> types = tx.resourceTypes(ids);
        List<ChangeEvent.Member> members = new ArrayList<>(ids.size());
        for (String id : ids.stream().sorted().toList()) {
            String memberType = types.get(id);
            if (memberType == null) {
                throw ScimException.invalidValue("members: no user or group has id \"" + id + "\"");
            }
            members.add(new ChangeEvent.Member(id, memberType));
        }
        return members;
    }

    private static ObjectNode current(StoreTransaction tx, ResourceType type, String id) {
        return (type == ResourceType.USER ? tx.user(id) : tx.group(id)).orElseThrow(() -> notFound(type, id));
    }

    private static ScimException notFound(ResourceType type, String id) {
        return ScimException.notFound(type.wireName() + " " + id + " not found");
    }

    /** The resource without what the server maintains (id, meta), as the normaliser produces it. */
    private static ObjectNode withoutServerAttributes(ObjectNode resource) {
        ObjectNode copy = resource.deepCopy();
        copy.remove("id");
        copy.remove("meta");
        return copy;
    }

    /** The stored form: schemas, id, the attributes in schema order, then meta. */
    private static ObjectNode stamp(ResourceType type, String id, ObjectNode attributes, Instant created,
            Instant lastModified, long version) {
        ObjectNode resource = Json.object();
        resource.set("schemas", attributes.get("schemas"));
        resource.put("id", id);
        for (Map.Entry<String, JsonNode> field : attributes.properties()) {
            if (!field.getKey().equals("schemas")) {
                resource.set(field.getKey(), field.getValue());
            }
        }
        ObjectNode meta = resource.putObject("meta");
        meta.put("resourceType", type.wireName());
        meta.put("created", TIMESTAMP.format(created));
        meta.put("lastModified", TIMESTAMP.format(lastModified));
        meta.put("version", ScimResource.etagOf(version));
        return resource;
    }

    /**
     * The resource as returned: users get their {@code groups}, groups their {@code members} (only
     * when the projection returns them), then the projection is applied.
     */
    private ScimResource render(ResourceType type, ObjectNode stored, Projection projection) {
        String id = stored.path("id").asText();
        ObjectNode full = view.read(r -> type == ResourceType.USER
                ? query.withGroups(r, stored)
                : projection.includesMembers() ? query.withMembers(r, stored) : stored);
        return new ScimResource(type, id, projection.apply(type, full), EntityTags.version(stored));
    }
}
