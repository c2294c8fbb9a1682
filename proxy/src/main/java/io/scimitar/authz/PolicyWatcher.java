package io.scimitar.authz;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link Policy} and replaces it when the file changes. A new version that does
 * not validate is refused and logged ({@code event=policy_rejected}); the old one stays in force.
 *
 * <p>Changes are found by polling the file's bytes on one scheduled thread, not by a
 * {@code WatchService}: inotify misses a file that is replaced through a symlink (Kubernetes and
 * ECS volume mounts swap a {@code ..data} link) or lives on a network or bind mount, and reading a
 * few kilobytes once a second costs nothing. Request threads only {@link #current() read} an
 * {@link AtomicReference}; they never wait for a reload.
 */
public final class PolicyWatcher implements AutoCloseable {

    /** How often the sidecar polls the file: a change takes effect within about a second. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(PolicyWatcher.class);

    private final Path file;
    private final PolicyLoader loader;
    private final AtomicReference<Policy> current;
    private final List<Consumer<Policy>> listeners = new CopyOnWriteArrayList<>();
    /** The bytes of the policy in force. Guarded by {@code this}. */
    private byte[] loadedBytes;
    /** What was refused last (the file's bytes, or the read error's message), so it is logged once. */
    private Object lastRefused;
    private ScheduledExecutorService scheduler;

    /**
     * Loads the policy in {@code file}; the watcher does not poll until {@link #start}.
     *
     * @throws PolicyException if the file cannot be read or is invalid: the sidecar does not start
     */
    public PolicyWatcher(Path file, PolicyLoader loader) {
        this.file = Objects.requireNonNull(file, "file");
        this.loader = Objects.requireNonNull(loader, "loader");
        byte[] bytes = PolicyLoader.read(file);
        Policy policy = loader.parse(file.toString(), bytes);
        this.loadedBytes = bytes;
        this.current = new AtomicReference<>(policy);
        LOG.atInfo().setMessage("policy loaded").addKeyValue("event", "policy_loaded")
                .addKeyValue("file", file.toString()).addKeyValue("digest", policy.shortDigest())
                .addKeyValue("routes", policy.routes().size()).log();
    }

    /** The policy in force. Lock-free, for the request path. */
    public Policy current() {
        return current.get();
    }

    /** Calls {@code listener} with each new policy after it is swapped in, on the watcher's thread. */
    public void addListener(Consumer<Policy> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Reads the file and swaps in a new policy if it changed and validates. The scheduler calls
     * this; so can tests and an admin "reload" action, without waiting for the next poll.
     */
    public synchronized Reload reloadNow() {
        byte[] bytes;
        try {
            bytes = PolicyLoader.read(file);
        } catch (PolicyException e) {
            return refuse(e.getMessage(), e);
        }
        if (Arrays.equals(bytes, loadedBytes)) {
            lastRefused = null;
            return new Reload.Unchanged(current.get());
        }
        Policy policy;
        try {
            policy = loader.parse(file.toString(), bytes);
        } catch (PolicyException e) {
            return refuse(bytes, e);
        }
        Policy previous = current.getAndSet(policy);
        loadedBytes = bytes;
        lastRefused = null;
        LOG.atInfo().setMessage("policy reloaded").addKeyValue("event", "policy_reloaded")
                .addKeyValue("file", file.toString()).addKeyValue("digest", policy.shortDigest())
                .addKeyValue("previous_digest", previous.shortDigest())
                .addKeyValue("routes", policy.routes().size()).log();
        for (Consumer<Policy> listener : listeners) {
            try {
                listener.accept(policy);
            } catch (RuntimeException e) {
                LOG.atError().setMessage("policy listener failed").addKeyValue("event", "policy_listener_failed")
                        .setCause(e).log();
            }
        }
        return new Reload.Reloaded(previous, policy);
    }

    private Reload refuse(Object what, PolicyException e) {
        boolean same = what instanceof byte[] bytes ? lastRefused instanceof byte[] last && Arrays.equals(bytes, last)
                : what.equals(lastRefused);
        if (same) {
            return new Reload.Unchanged(current.get()); // already reported; do not log it every second
        }
        lastRefused = what;
        LOG.atWarn().setMessage("policy rejected, keeping the one in force").addKeyValue("event", "policy_rejected")
                .addKeyValue("file", file.toString()).addKeyValue("digest", current.get().shortDigest())
                .addKeyValue("errors", e.getMessage()).log();
        return new Reload.Rejected(current.get(), e);
    }

    /**
     * Polls the file every {@code interval} on a daemon thread of its own.
     *
     * @throws IllegalStateException if already started
     */
    public synchronized void start(Duration interval) {
        if (scheduler != null) {
            throw new IllegalStateException("the policy watcher is already started");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("expected a positive interval, got " + interval);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(
                task -> Thread.ofPlatform().daemon().name("scimitar-policy-watcher").unstarted(task));
        long millis = Math.max(1, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            reloadNow();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log, and poll on.
            LOG.atError().setMessage("policy reload failed").addKeyValue("event", "policy_reload_failed")
                    .setCause(e).log();
        }
    }

    /** Stops polling; the policy in force stays readable. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** What one {@link #reloadNow()} did. */
    public sealed interface Reload {

        /** The policy in force after the check. */
        Policy policy();

        /** The file holds the policy in force, or a version that was already refused and reported. */
        record Unchanged(Policy policy) implements Reload {
        }

        /** A new version was loaded and is now in force. */
        record Reloaded(Policy previous, Policy policy) implements Reload {
        }

        /** A new version was refused; {@code policy} (the old one) stays in force. */
        record Rejected(Policy policy, PolicyException error) implements Reload {
        }
    }
}
