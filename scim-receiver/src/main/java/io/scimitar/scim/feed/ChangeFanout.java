package io.scimitar.scim.feed;

import io.netty.util.concurrent.EventExecutor;
import io.scimitar.scim.store.Change;
import io.scimitar.scim.store.ChangeLog;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription to the change log for every change stream of the receiver: each committed change
 * is encoded once and handed to each event loop that has followers, in one task per loop, which
 * gives the line to that loop's followers. So a commit costs one encoding and a task per event loop,
 * whatever the number of connected sidecars, and followers are only ever touched on their own loop.
 */
final class ChangeFanout implements AutoCloseable {

    /** A change stream; called on the event loop it registered on, in version order. */
    interface Follower {
        void onChange(long version, byte[] line);

        /** Ends the stream: the receiver reloaded its directory, so the versions it streams skip ahead. */
        void cut(String reason);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFanout.class);
    private static final Follower[] NONE = new Follower[0];

    /** Followers per event loop; each set is read and changed only on its own loop. */
    private final Map<EventExecutor, Set<Follower>> byLoop = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;
    private final AutoCloseable resyncs;

    ChangeFanout(ChangeLog log) {
        this.subscription = log.subscribe(this::publish);
        // Every stream is cut: its sidecar reconnects, and resumes from the log or (410) from a snapshot.
        this.resyncs = log.subscribeResyncs(snapshot -> cutAll("the receiver reloaded its directory at version "
                + snapshot.version() + " after the change log was compacted past it"));
    }

    /**
     * Adds {@code follower}; every change published after this returns reaches it. Call on {@code loop}.
     */
    void register(EventExecutor loop, Follower follower) {
        byLoop.computeIfAbsent(loop, l -> new LinkedHashSet<>()).add(follower);
    }

    /** Call on {@code loop}. */
    void unregister(EventExecutor loop, Follower follower) {
        Set<Follower> followers = byLoop.get(loop);
        if (followers != null) {
            followers.remove(follower);
        }
    }

    /** Runs on the committing thread, under the store's writer lock: encode once, then only enqueue. */
    private void publish(Change change) {
        if (byLoop.isEmpty()) {
            return;
        }
        byte[] line = FeedLines.change(change);
        long version = change.version();
        for (Map.Entry<EventExecutor, Set<Follower>> entry : byLoop.entrySet()) {
            Set<Follower> followers = entry.getValue();
            try {
                entry.getKey().execute(() -> {
                    // A copy: a follower that fails unregisters itself while we iterate.
                    for (Follower follower : followers.toArray(NONE)) {
                        follower.onChange(version, line);
                    }
                });
            } catch (RejectedExecutionException e) {
                LOG.atDebug().setMessage("change not delivered: the event loop stopped")
                        .addKeyValue("event", "feed_loop_stopped").addKeyValue("version", version).log();
            }
        }
    }

    private void cutAll(String reason) {
        for (Map.Entry<EventExecutor, Set<Follower>> entry : byLoop.entrySet()) {
            Set<Follower> followers = entry.getValue();
            try {
                entry.getKey().execute(() -> {
                    for (Follower follower : followers.toArray(NONE)) {
                        follower.cut(reason);
                    }
                });
            } catch (RejectedExecutionException e) {
                LOG.atDebug().setMessage("streams not cut: the event loop stopped")
                        .addKeyValue("event", "feed_loop_stopped").log();
            }
        }
    }

    @Override
    public void close() {
        try {
            resyncs.close();
            subscription.close();
        } catch (Exception e) {
            LOG.atWarn().setMessage("could not stop following the change log")
                    .addKeyValue("event", "feed_unsubscribe_failed").setCause(e).log();
        }
    }
}
