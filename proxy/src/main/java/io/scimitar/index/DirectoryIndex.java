package io.scimitar.index;

import io.scimitar.scim.store.Change;
import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.store.JdbcStore;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's directory: the current {@link MembershipIndex}, replaced as a whole by each change.
 * Readers take {@link #current()} (one volatile read) and use that version for the whole decision;
 * they never lock and never see half a change. Writers (the change log or the feed) are serialized.
 *
 * <p>Why persistent maps: a change must cost what it touches, not the directory (100,000 users,
 * 2,000,000 memberships). A full copy per change is O(directory). An overlay of recent changes over
 * a base needs a second lookup on the hot path and a compaction that is itself a full copy. A
 * two-level copy-on-write table copies a whole chunk per key and needs rehashing as it grows. A
 * hash array mapped trie ({@link HashTrie}) copies about four 32-slot nodes per changed key, keeps
 * lookups at a few array loads with no allocation, and needs no compaction; group membership is a
 * persistent set per group plus a sorted {@code int[]} of group ordinals per user, so no object or
 * String exists per membership. Measured once by hand (JDK 25, 100,000 users keyed by email,
 * 10,000 groups, 2,000,000 memberships): ~92 MB of live heap, ~1 s to build from collected
 * snapshot rows, ~8 µs to apply a one-member change; the benchmark that tracks this is issue 4's.
 */
public final class DirectoryIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryIndex.class);

    private final AtomicReference<MembershipIndex> current;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<IndexListener> listeners = new CopyOnWriteArrayList<>();
    private volatile AutoCloseable subscription = () -> { };

    public DirectoryIndex(MembershipIndex initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    /**
     * The index of {@code view} (which follows {@code store}), kept current from the store's change
     * log: the embedded mode. No write commits between the build and the subscription; {@link #close()}
     * stops following.
     */
    public static DirectoryIndex follow(JdbcStore store, DirectoryView view, UserKey userKey) {
        return store.withoutWrites(() -> {
            DirectoryIndex index = new DirectoryIndex(MembershipIndex.of(view, userKey));
            AutoCloseable changes = store.changeLog().subscribe(index::apply);
            // The view reloaded first (it subscribed first): rebuild from the same snapshot, ordinals kept.
            AutoCloseable resyncs = store.changeLog().subscribeResyncs(
                    snapshot -> index.reset(new IndexBuilder(index.current()).build(snapshot)));
            index.subscription = () -> {
                try {
                    changes.close();
                } finally {
                    resyncs.close();
                }
            };
            return index;
        });
    }

    /** The current version; hold on to it for the whole of one decision. */
    public MembershipIndex current() {
        return current.get();
    }

    /**
     * Applies one committed change as a whole and swaps the new version in. A change at or below
     * the current version is already in and changes nothing.
     *
     * @throws VersionGapException when the change skips a version; the index stays as it was
     */
    public IndexUpdate apply(Change change) {
        writeLock.lock();
        try {
            MembershipIndex base = current.get();
            if (change.version() <= base.version()) {
                return new IndexUpdate(base, base, Set.of(), false);
            }
            if (change.version() != base.version() + 1) {
                LOG.atWarn().setMessage("directory change skips a version; refused")
                        .addKeyValue("event", "index_version_gap")
                        .addKeyValue("indexVersion", base.version())
                        .addKeyValue("changeVersion", change.version()).log();
                throw new VersionGapException(base.version(), change.version());
            }
            IndexEditor editor = new IndexEditor(base);
            change.events().forEach(editor::apply);
            MembershipIndex next = editor.finish(change.version());
            return swap(new IndexUpdate(base, next, editor.affected(), false));
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Replaces the whole index by one built from a fresh snapshot (after a gap, or when the feed's
     * log no longer reaches back far enough). Build it with {@link IndexBuilder#IndexBuilder(MembershipIndex)}
     * from {@link #current()}, so group ordinals stay stable; a snapshot older than the current
     * version or with reassigned ordinals is refused.
     */
    public IndexUpdate reset(MembershipIndex fresh) {
        writeLock.lock();
        try {
            MembershipIndex base = current.get();
            if (fresh.version() < base.version()) {
                throw new IllegalArgumentException("snapshot version " + fresh.version()
                        + " is older than the directory's version " + base.version());
            }
            if (fresh.userKey() != base.userKey()) {
                throw new IllegalArgumentException("snapshot indexed by " + fresh.userKey().attribute()
                        + ", the directory by " + base.userKey().attribute());
            }
            checkOrdinals(base, fresh);
            return swap(new IndexUpdate(base, fresh, Set.of(), true));
        } finally {
            writeLock.unlock();
        }
    }

    /** Calls {@code listener} after every swap from now on; closing the handle stops it. */
    public AutoCloseable addListener(IndexListener listener) {
        IndexListener handle = listener::indexUpdated;
        listeners.add(handle);
        return () -> listeners.remove(handle);
    }

    /** Stops following the store (after {@link #follow}); the index keeps its last version. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.atWarn().setMessage("could not stop following the change log")
                    .addKeyValue("event", "index_unsubscribe_failed").setCause(e).log();
        }
    }

    private IndexUpdate swap(IndexUpdate update) {
        current.set(update.current());
        for (IndexListener listener : listeners) {
            try {
                listener.indexUpdated(update);
            } catch (RuntimeException e) {
                // The swap happened; one failing listener must not hide it from the others.
                LOG.atError().setMessage("an index listener failed").addKeyValue("event", "index_listener_failed")
                        .addKeyValue("version", update.current().version()).setCause(e).log();
            }
        }
        return update;
    }

    /** Every group of {@code fresh} either kept its ordinal from {@code base} or got one {@code base} never used. */
    private static void checkOrdinals(MembershipIndex base, MembershipIndex fresh) {
        fresh.groups.forEach((group, ordinal) -> {
            Integer before = base.groupsById.get(group.id());
            boolean ok = before != null ? before == ordinal : ordinal >= base.nextOrdinal;
            if (!ok) {
                throw new IllegalArgumentException("snapshot gives group " + group.id() + " ordinal " + ordinal
                        + (before != null ? " instead of " + before : ", already used") + ": build it from the current index");
            }
        });
    }
}
