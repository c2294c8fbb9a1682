package io.scimitar.scim.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChangeLog} on the {@code change_log} table of a {@link JdbcStore}. Changes reach the
 * listeners through one publishing lock, in version order and once each, whichever way they arrive:
 * a commit of this store, or a change another store committed, read back from the table. When the
 * table no longer holds the next version (another receiver compacted past it), the resync listeners
 * get a snapshot of the tables instead, and publishing goes on after it.
 */
public final class JdbcChangeLog implements ChangeLog {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcChangeLog.class);
    private static final int CATCH_UP_BATCH = 500;

    /** Reads committed changes after a version, in order (from the pool, or the LISTEN connection). */
    @FunctionalInterface
    interface Source {
        List<Change> readAfter(long afterVersion, int limit);
    }

    private final JdbcStore store;
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<JdbcStore.Snapshot>> resyncListeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock publishLock = new ReentrantLock();
    /** The last version handed to the listeners; guarded by {@link #publishLock}. */
    private long published;

    JdbcChangeLog(JdbcStore store) {
        this.store = store;
    }

    /** Sets the version the listeners start after: the log's head when the store opened. */
    void startAt(long version) {
        publishLock.lock();
        try {
            published = version;
        } finally {
            publishLock.unlock();
        }
    }

    @Override
    public long currentVersion() {
        return store.currentVersion();
    }

    @Override
    public long oldestVersion() {
        return store.oldestVersion();
    }

    @Override
    public List<Change> readAfter(long afterVersion, int limit) {
        return store.readAfter(afterVersion, limit);
    }

    @Override
    public AutoCloseable subscribe(Consumer<Change> listener) {
        // A wrapper per subscription, so subscribing the same listener twice yields two independent handles.
        Consumer<Change> handle = listener::accept;
        listeners.add(handle);
        return () -> listeners.remove(handle);
    }

    @Override
    public AutoCloseable subscribeResyncs(Consumer<JdbcStore.Snapshot> listener) {
        Consumer<JdbcStore.Snapshot> handle = listener::accept;
        resyncListeners.add(handle);
        return () -> resyncListeners.remove(handle);
    }

    /** The last version handed to the listeners. */
    long publishedVersion() {
        publishLock.lock();
        try {
            return published;
        } finally {
            publishLock.unlock();
        }
    }

    /** Runs {@code action} while no change reaches the listeners (to load a view and subscribe). */
    <T> T withoutPublishing(Supplier<T> action) {
        publishLock.lock();
        try {
            return action.get();
        } finally {
            publishLock.unlock();
        }
    }

    /**
     * Publishes a change this store has just committed. Versions before it that another store
     * committed and that have not been published yet go first; if they cannot be read now, the
     * change waits for the follower's next catch-up, which reads it back from the table.
     */
    void publishCommitted(Change change) {
        publishLock.lock();
        try {
            if (change.version() > published + 1) {
                try {
                    catchUp(store::readAfter, change.version() - 1);
                } catch (RuntimeException e) {
                    LOG.atWarn().setMessage("cannot read the changes before this commit; publishing it later")
                            .addKeyValue("event", "change_publish_deferred")
                            .addKeyValue("version", change.version()).setCause(e).log();
                    return;
                }
            }
            deliver(change);
        } finally {
            publishLock.unlock();
        }
    }

    /** Publishes every committed change after the last published one, read from {@code source}. */
    void catchUp(Source source) {
        publishLock.lock();
        try {
            catchUp(source, Long.MAX_VALUE);
        } finally {
            publishLock.unlock();
        }
    }

    private void catchUp(Source source, long upTo) {
        while (published < upTo) {
            List<Change> batch = source.readAfter(published, (int) Math.min(CATCH_UP_BATCH, upTo - published));
            if (batch.isEmpty()) {
                return;
            }
            if (batch.get(0).version() > published + 1) {
                resync(batch.get(0).version());
                continue;
            }
            batch.forEach(this::deliver);
        }
    }

    /**
     * The changes after the published version were compacted away by another receiver before this
     * one read them: the listeners rebuild from the tables instead, and publishing goes on after the
     * snapshot's version. Caller holds {@link #publishLock}.
     */
    private void resync(long firstReadable) {
        JdbcStore.Snapshot snapshot = store.snapshot();
        LOG.atWarn().setMessage("the change log no longer holds the changes after the published version; reloading the directory")
                .addKeyValue("event", "changelog_resync")
                .addKeyValue("publishedVersion", published)
                .addKeyValue("oldestReadable", firstReadable)
                .addKeyValue("snapshotVersion", snapshot.version()).log();
        for (Consumer<JdbcStore.Snapshot> listener : resyncListeners) {
            try {
                listener.accept(snapshot);
            } catch (RuntimeException e) {
                LOG.atError().setMessage("a change-log resync listener failed").addKeyValue("event", "change_listener_failed")
                        .addKeyValue("version", snapshot.version()).setCause(e).log();
            }
        }
        published = Math.max(published, snapshot.version());
    }

    /** Hands one change to every listener, unless it was handed already. A failing listener harms nobody. */
    private void deliver(Change change) {
        if (change.version() <= published) {
            return;
        }
        if (change.version() != published + 1) {
            throw new IllegalStateException("change " + change.version() + " does not follow the published version "
                    + published + ": the change log has a gap");
        }
        for (Consumer<Change> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.atError().setMessage("a change-log listener failed").addKeyValue("event", "change_listener_failed")
                        .addKeyValue("version", change.version()).setCause(e).log();
            }
        }
        published = change.version();
    }
}
