package io.scimitar.scim.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory in memory: a fold of the change log. It starts from a snapshot of the tables at
 * version V and from then on changes only by {@link #apply(Change)} (or is replaced whole by
 * {@link #reload}, when the log lost changes it had not applied), so at any moment it equals a
 * replay of the log up to its {@link #version()}.
 *
 * <p>Concurrency: one read-write lock. A change is applied as a whole under the write lock, and
 * readers work under the read lock through {@link #read(Function)}, so no reader sees half a change.
 * Copy-on-write would copy the indexes (and member sets of 50,000) on every change; a change holds
 * the lock for a few map updates, so readers wait microseconds.
 */
public final class DirectoryView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryView.class);

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long version;
    // TreeMaps: queries iterate in id order, a stable order across restarts for paging clients.
    private final TreeMap<String, ObjectNode> users = new TreeMap<>();
    private final TreeMap<String, ObjectNode> groups = new TreeMap<>();
    private final Map<String, String> userIdByUserName = new HashMap<>();
    private final Map<String, Set<String>> userIdsByExternalId = new HashMap<>();
    private final Map<String, Set<String>> groupIdsByDisplayName = new HashMap<>();
    private final Map<String, Set<String>> groupIdsByExternalId = new HashMap<>();
    private final Map<String, Map<String, String>> members = new HashMap<>();
    private final Map<String, Set<String>> groupsOfMember = new HashMap<>();
    private volatile AutoCloseable subscription = () -> { };

    private DirectoryView() {
    }

    public static DirectoryView empty() {
        return new DirectoryView();
    }

    /** The view that results from applying {@code changes}, in order, to an empty directory. */
    public static DirectoryView replay(List<Change> changes) {
        DirectoryView view = new DirectoryView();
        changes.forEach(view::apply);
        return view;
    }

    /** The view of everything in the store's tables now. */
    public static DirectoryView load(JdbcStore store) {
        return load(store.snapshot());
    }

    public static DirectoryView load(JdbcStore.Snapshot snapshot) {
        DirectoryView view = new DirectoryView();
        snapshot.users().forEach(view::putUser);
        snapshot.groups().forEach(view::putGroup);
        snapshot.memberships().forEach(m -> view.addMember(m.groupId(), m.member()));
        view.version = snapshot.version();
        return view;
    }

    /**
     * Loads the view from the store and keeps it current by applying every change the store commits
     * afterwards. No write commits between the load and the subscription. {@link #close()} stops it.
     */
    public static DirectoryView follow(JdbcStore store) {
        return store.withoutWrites(() -> {
            DirectoryView view = load(store);
            AutoCloseable changes = store.changeLog().subscribe(view::apply);
            AutoCloseable resyncs = store.changeLog().subscribeResyncs(view::reload);
            view.subscription = () -> {
                try {
                    changes.close();
                } finally {
                    resyncs.close();
                }
            };
            return view;
        });
    }

    /**
     * Applies one committed change as a whole. A change at or below the current version is already
     * in the view and is ignored; a gap means a change was lost, which is a bug, not input.
     */
    public void apply(Change change) {
        lock.writeLock().lock();
        try {
            if (change.version() <= version) {
                return;
            }
            if (change.version() != version + 1) {
                throw new IllegalStateException("change " + change.version() + " does not follow version " + version);
            }
            for (ChangeEvent event : change.events()) {
                switch (event) {
                    case ChangeEvent.UserUpserted e -> putUser(e.user().deepCopy());
                    case ChangeEvent.UserDeactivated e -> putUser(e.user().deepCopy());
                    case ChangeEvent.UserDeleted e -> removeUser(e.userId());
                    case ChangeEvent.GroupUpserted e -> putGroup(e.group().deepCopy());
                    case ChangeEvent.GroupDeleted e -> removeGroup(e.groupId());
                    case ChangeEvent.MembersAdded e -> e.members().forEach(m -> addMember(e.groupId(), m));
                    case ChangeEvent.MembersRemoved e -> e.members().forEach(m -> removeMember(e.groupId(), m.id()));
                }
            }
            version = change.version();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Replaces the whole content by {@code snapshot} (the change log lost the changes that would have
     * led there; see {@link ChangeLog#subscribeResyncs}). Readers see the old content or the new, never a mix.
     */
    public void reload(JdbcStore.Snapshot snapshot) {
        lock.writeLock().lock();
        try {
            users.clear();
            groups.clear();
            userIdByUserName.clear();
            userIdsByExternalId.clear();
            groupIdsByDisplayName.clear();
            groupIdsByExternalId.clear();
            members.clear();
            groupsOfMember.clear();
            snapshot.users().forEach(u -> putUser(u.deepCopy()));
            snapshot.groups().forEach(g -> putGroup(g.deepCopy()));
            snapshot.memberships().forEach(m -> addMember(m.groupId(), m.member()));
            version = snapshot.version();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code query} against one consistent version of the view. */
    public <T> T read(Function<Reader, T> query) {
        lock.readLock().lock();
        try {
            return query.apply(reader);
        } finally {
            lock.readLock().unlock();
        }
    }

    public long version() {
        return read(Reader::version);
    }

    /**
     * Lookups on one version of the view; valid only inside {@link #read(Function)}. Resources are the
     * view's own objects: copy before changing them.
     */
    public interface Reader {
        long version();

        Optional<ObjectNode> user(String id);

        Optional<ObjectNode> group(String id);

        /** The user whose userName equals {@code userName} case-insensitively. */
        Optional<String> userIdByUserName(String userName);

        Set<String> userIdsByExternalId(String externalId);

        /** The groups whose displayName equals {@code displayName} case-insensitively. */
        Set<String> groupIdsByDisplayName(String displayName);

        Set<String> groupIdsByExternalId(String externalId);

        /** Every user, in id order. */
        Collection<ObjectNode> users();

        /** Every group (without members), in id order. */
        Collection<ObjectNode> groups();

        /** The members of a group: member id → "User" or "Group". */
        Map<String, String> members(String groupId);

        /** The groups {@code memberId} is a direct member of, in id order. */
        Set<String> groupsOf(String memberId);
    }

    private final Reader reader = new Reader() {
        @Override
        public long version() {
            return version;
        }

        @Override
        public Optional<ObjectNode> user(String id) {
            return Optional.ofNullable(users.get(id));
        }

        @Override
        public Optional<ObjectNode> group(String id) {
            return Optional.ofNullable(groups.get(id));
        }

        @Override
        public Optional<String> userIdByUserName(String userName) {
            return Optional.ofNullable(userIdByUserName.get(lower(userName)));
        }

        @Override
        public Set<String> userIdsByExternalId(String externalId) {
            return view(userIdsByExternalId.get(externalId));
        }

        @Override
        public Set<String> groupIdsByDisplayName(String displayName) {
            return view(groupIdsByDisplayName.get(lower(displayName)));
        }

        @Override
        public Set<String> groupIdsByExternalId(String externalId) {
            return view(groupIdsByExternalId.get(externalId));
        }

        @Override
        public Collection<ObjectNode> users() {
            return Collections.unmodifiableCollection(users.values());
        }

        @Override
        public Collection<ObjectNode> groups() {
            return Collections.unmodifiableCollection(groups.values());
        }

        @Override
        public Map<String, String> members(String groupId) {
            Map<String, String> m = members.get(groupId);
            return m == null ? Map.of() : Collections.unmodifiableMap(m);
        }

        @Override
        public Set<String> groupsOf(String memberId) {
            return view(groupsOfMember.get(memberId));
        }

        private static Set<String> view(Set<String> set) {
            return set == null ? Set.of() : Collections.unmodifiableSet(set);
        }
    };

    /** The whole content as plain values, for comparing views (store == view == replay of the log). */
    public record Dump(long version, Map<String, ObjectNode> users, Map<String, ObjectNode> groups,
            Map<String, Map<String, String>> members) {
    }

    public Dump dump() {
        return read(r -> {
            Map<String, ObjectNode> u = new TreeMap<>();
            users.forEach((id, json) -> u.put(id, json.deepCopy()));
            Map<String, ObjectNode> g = new TreeMap<>();
            groups.forEach((id, json) -> g.put(id, json.deepCopy()));
            Map<String, Map<String, String>> m = new TreeMap<>();
            members.forEach((id, set) -> {
                if (!set.isEmpty()) {
                    m.put(id, new TreeMap<>(set));
                }
            });
            return new Dump(version, u, g, m);
        });
    }

    /** Stops following the store (after {@link #follow(JdbcStore)}); the view keeps its last version. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.atWarn().setMessage("could not stop following the store")
                    .addKeyValue("event", "view_unsubscribe_failed").setCause(e).log();
        }
    }

    private void putUser(ObjectNode user) {
        String id = user.path("id").asText();
        ObjectNode old = users.put(id, user);
        if (old != null) {
            userIdByUserName.remove(lower(text(old, "userName")), id);
            unindex(userIdsByExternalId, text(old, "externalId"), id);
        }
        userIdByUserName.put(lower(text(user, "userName")), id);
        index(userIdsByExternalId, text(user, "externalId"), id);
    }

    private void putGroup(ObjectNode group) {
        String id = group.path("id").asText();
        ObjectNode old = groups.put(id, group);
        if (old != null) {
            unindex(groupIdsByDisplayName, lower(text(old, "displayName")), id);
            unindex(groupIdsByExternalId, text(old, "externalId"), id);
        }
        index(groupIdsByDisplayName, lower(text(group, "displayName")), id);
        index(groupIdsByExternalId, text(group, "externalId"), id);
    }

    /** Deleting a user removes it from every group, as in the store (see {@link ChangeEvent}). */
    private void removeUser(String id) {
        ObjectNode old = users.remove(id);
        if (old != null) {
            userIdByUserName.remove(lower(text(old, "userName")), id);
            unindex(userIdsByExternalId, text(old, "externalId"), id);
        }
        removeFromAllGroups(id);
    }

    private void removeGroup(String id) {
        ObjectNode old = groups.remove(id);
        if (old != null) {
            unindex(groupIdsByDisplayName, lower(text(old, "displayName")), id);
            unindex(groupIdsByExternalId, text(old, "externalId"), id);
        }
        Map<String, String> own = members.remove(id);
        if (own != null) {
            own.keySet().forEach(memberId -> unindex(groupsOfMember, memberId, id));
        }
        removeFromAllGroups(id);
    }

    private void removeFromAllGroups(String memberId) {
        Set<String> of = groupsOfMember.remove(memberId);
        if (of != null) {
            for (String groupId : of) {
                Map<String, String> m = members.get(groupId);
                if (m != null) {
                    m.remove(memberId);
                }
            }
        }
    }

    private void addMember(String groupId, ChangeEvent.Member member) {
        // putIfAbsent: re-adding a member keeps its first recorded type, as the store's insert does.
        members.computeIfAbsent(groupId, k -> new HashMap<>()).putIfAbsent(member.id(), member.type());
        index(groupsOfMember, member.id(), groupId);
    }

    private void removeMember(String groupId, String memberId) {
        Map<String, String> m = members.get(groupId);
        if (m != null && m.remove(memberId) != null && m.isEmpty()) {
            members.remove(groupId);
        }
        unindex(groupsOfMember, memberId, groupId);
    }

    private static void index(Map<String, Set<String>> index, String key, String id) {
        if (key != null) {
            index.computeIfAbsent(key, k -> new TreeSet<>()).add(id);
        }
    }

    private static void unindex(Map<String, Set<String>> index, String key, String id) {
        if (key == null) {
            return;
        }
        Set<String> ids = index.get(key);
        if (ids != null && ids.remove(id) && ids.isEmpty()) {
            index.remove(key);
        }
    }

    private static String text(ObjectNode resource, String field) {
        JsonNode value = resource.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}
