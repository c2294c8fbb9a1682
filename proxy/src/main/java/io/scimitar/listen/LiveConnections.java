package io.scimitar.listen;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.scimitar.authz.Decision;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.IndexListener;
import io.scimitar.index.IndexUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open long-lived exchanges (upgraded WebSockets, HTTP/2 streams) and the user each was
 * admitted as, decided for again whenever the directory changes that user, so a user who is
 * deactivated, deleted or loses the group a route needs is cut off within a second instead of when
 * the exchange ends.
 *
 * <p>An entry is (channel, user claim, SCIM id, method, normalized path): what
 * {@link AccessDecider#decideFor} needs. The channel is a WebSocket's connection, closed when its
 * entry is denied, or one HTTP/2 stream, reset (RST_STREAM) when denied while the connection and
 * the other users' streams on it go on: behind a load balancer one HTTP/2 connection carries many
 * users. Entries leave when their channel closes. An exchange admitted without a user (a public
 * route) is not registered: there is nobody to revoke.
 *
 * <p>Re-checks run on one thread of their own, never on the index writer's: the listener only
 * queues the update. A re-check is a {@code decideFor} (lock-free, well under a microsecond on a
 * token-free path) per entry of an affected user, so thousands of entries take milliseconds.
 */
public final class LiveConnections implements IndexListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveConnections.class);

    private final AccessDecider decider;
    /** By SCIM id; each value an immutable list, replaced whole under the map's per-key lock. */
    private final ConcurrentHashMap<String, List<Entry>> byUser = new ConcurrentHashMap<>();
    private final ExecutorService rechecks = Executors.newSingleThreadExecutor(
            new DefaultThreadFactory("scimitar-revoke", true));
    private final AutoCloseable subscription;

    private LiveConnections(AccessDecider decider, DirectoryIndex directory) {
        this.decider = Objects.requireNonNull(decider, "decider");
        this.subscription = directory.addListener(this);
    }

    /**
     * A registry that re-checks its connections after every change of {@code directory}; call
     * {@link #recheckAll()} after a policy reload too (e.g. from {@code PolicyWatcher.addListener}).
     */
    public static LiveConnections following(DirectoryIndex directory, AccessDecider decider) {
        return new LiveConnections(decider, Objects.requireNonNull(directory, "directory"));
    }

    /**
     * Registers {@code channel} (a connection or an HTTP/2 stream) as open for {@code subject} on
     * {@code method} {@code normalizedPath}, and checks it once against the current directory and
     * policy: a change that landed after it was admitted but before it was registered is not
     * missed. Call on any thread.
     */
    public Registration register(Channel channel, Verdict.Subject subject, String method, String normalizedPath) {
        var entry = new Entry(Objects.requireNonNull(channel, "channel"), Objects.requireNonNull(subject, "subject"),
                Objects.requireNonNull(method, "method"), Objects.requireNonNull(normalizedPath, "normalizedPath"));
        var registration = new Registration(entry);
        byUser.compute(subject.userId(), (id, entries) -> {
            var next = new ArrayList<Entry>(entries == null ? 1 : entries.size() + 1);
            if (entries != null) {
                next.addAll(entries);
            }
            next.add(entry);
            return List.copyOf(next);
        });
        channel.closeFuture().addListener(registration.onClose);
        recheck(entry).ifPresent(revoked -> report(List.of(revoked), "registered"));
        return registration;
    }

    /** How many entries are registered now. */
    public int size() {
        return byUser.values().stream().mapToInt(List::size).sum();
    }

    /** Queues a re-check of the users the swap affected, or of everyone after a resync. */
    @Override
    public void indexUpdated(IndexUpdate update) {
        if (!update.changed()) {
            return;
        }
        if (update.everyUser()) {
            recheckAll();
        } else if (!update.affectedUserIds().isEmpty()) {
            submit(() -> recheckUsers(update.affectedUserIds()));
        }
    }

    /**
     * Re-checks every entry (after a policy reload or a directory resync); completes with how many
     * connections were closed, or exceptionally when the registry is closed.
     */
    public CompletableFuture<Integer> recheckAll() {
        return submit(() -> {
            var revoked = new ArrayList<Revoked>();
            byUser.values().forEach(entries -> recheckEach(entries, revoked));
            return report(revoked, "recheck_all");
        });
    }

    /** Stops following the directory and re-checking; registered connections stay open. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.atWarn().setMessage("could not stop following the directory")
                    .addKeyValue("event", "live_connections_unsubscribe_failed").setCause(e).log();
        }
        rechecks.shutdownNow();
    }

    private int recheckUsers(Set<String> userIds) {
        var revoked = new ArrayList<Revoked>();
        for (String id : userIds) {
            List<Entry> entries = byUser.get(id);
            if (entries != null) {
                recheckEach(entries, revoked);
            }
        }
        return report(revoked, "directory_change");
    }

    private void recheckEach(List<Entry> entries, List<Revoked> revoked) {
        for (Entry entry : entries) {
            recheck(entry).ifPresent(revoked::add);
        }
    }

    /**
     * Closes the entry's channel if its user may no longer use its route. Closing happens here
     * and logging after the whole batch: a log line costs more than the decision and the close.
     */
    private Optional<Revoked> recheck(Entry entry) {
        if (!entry.channel.isOpen()) {
            return Optional.empty();
        }
        Decision decision = decider.decideFor(entry.subject.userClaim(), entry.method, entry.path);
        if (decision.allowed()) {
            return Optional.empty();
        }
        // A WebSocket is cut at the TCP level (the sidecar does not speak its framing to send a
        // Close); closing an HTTP/2 stream channel sends RST_STREAM for that stream alone.
        entry.channel.close();
        return Optional.of(new Revoked(entry, decision));
    }

    private static int report(List<Revoked> revoked, String trigger) {
        for (Revoked r : revoked) {
            LOG.atInfo().setMessage("open connection revoked").addKeyValue("event", "connection_revoked")
                    .addKeyValue("userId", r.entry.subject.userId()).addKeyValue("reason", r.decision.reason().code())
                    .addKeyValue("method", r.entry.method).addKeyValue("path", r.entry.path)
                    .addKeyValue("directoryVersion", r.decision.directoryVersion()).addKeyValue("trigger", trigger).log();
        }
        return revoked.size();
    }

    private CompletableFuture<Integer> submit(Supplier<Integer> work) {
        try {
            return CompletableFuture.supplyAsync(work, rechecks);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the connection registry is closed", e));
        }
    }

    private void remove(Entry entry) {
        byUser.computeIfPresent(entry.subject.userId(), (id, entries) -> {
            List<Entry> rest = entries.stream().filter(e -> e != entry).toList();
            return rest.isEmpty() ? null : rest;
        });
    }

    private record Entry(Channel channel, Verdict.Subject subject, String method, String path) {
    }

    private record Revoked(Entry entry, Decision decision) {
    }

    /** One entry of the registry; closing it removes the entry and leaves the channel open. */
    public final class Registration implements AutoCloseable {

        private final Entry entry;
        private final ChannelFutureListener onClose;

        private Registration(Entry entry) {
            this.entry = entry;
            this.onClose = future -> remove(entry);
        }

        @Override
        public void close() {
            entry.channel.closeFuture().removeListener(onClose);
            remove(entry);
        }
    }
}
