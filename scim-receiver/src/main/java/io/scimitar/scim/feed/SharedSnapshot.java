package io.scimitar.scim.feed;

import io.scimitar.scim.store.ChangeLog;
import io.scimitar.scim.store.StoreUnavailableException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The most recent gzip snapshot, kept in memory as the chunks it was encoded into, so that a fleet
 * deploy (every sidecar asking at once) costs the receiver one store read and one gzip instead of
 * one per sidecar, like the Kubernetes API server's watch cache. A snapshot is reused while it is
 * younger than {@link FeedSettings#snapshotMaxAge()} and the change log still holds the changes after
 * it (the sidecar follows them from its version); requests that arrive while one is being built
 * follow that build (single flight), getting its chunks as they are produced. A snapshot larger than
 * {@link FeedSettings#snapshotCacheBytes()} is not kept: the build stops there, and from then on
 * every request streams its own, as before.
 */
final class SharedSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(SharedSnapshot.class);

    /** Where a build is: still producing chunks, or how it ended. */
    enum State { RUNNING, COMPLETE, FAILED, TOO_LARGE }

    /**
     * One build: its version (once the read starts), its gzip chunks so far, and its state. Chunks are
     * appended by the building thread and read by event loops: the array is only appended to, and a
     * volatile count publishes each chunk, so a reader never copies or locks.
     */
    static final class Build {
        private final Set<Runnable> followers = ConcurrentHashMap.newKeySet();
        private final AtomicInteger joiners = new AtomicInteger();
        private volatile byte[][] chunks = new byte[16][];
        private volatile int count;
        private volatile long version = -1;
        private volatile State state = State.RUNNING;
        private volatile Refusal refusal;
        // Written before the state turns COMPLETE, read after: the volatile state publishes them.
        private long bytes;
        private long builtAtNanos;

        /** Read before {@link #count()}: once it says COMPLETE, the count read after it is the final one. */
        State state() {
            return state;
        }

        int count() {
            return count;
        }

        /** Chunk {@code i}, for an {@code i} below a {@link #count()} already read. */
        byte[] chunk(int i) {
            return chunks[i];
        }

        long version() {
            return version;
        }

        /** Why a FAILED build failed. */
        Refusal refusal() {
            return refusal;
        }

        long bytes() {
            return bytes;
        }

        /**
         * Calls {@code wake} (on the building thread) after every new chunk and at the end. A follower
         * reads the state after following, so it misses nothing that happened before.
         */
        void follow(Runnable wake) {
            followers.add(wake);
        }

        void unfollow(Runnable wake) {
            followers.remove(wake);
        }

        private void append(byte[] chunk) {
            byte[][] all = chunks;
            int n = count;
            if (n == all.length) {
                all = Arrays.copyOf(all, n * 2);
                all[n] = chunk;
                chunks = all;
            } else {
                all[n] = chunk;
            }
            count = n + 1;
            followers.forEach(Runnable::run);
        }

        private void end(State ended, Refusal why) {
            refusal = why;
            state = ended;
            followers.forEach(Runnable::run);
            // Every follower has been told; one that follows from now on reads the state itself.
            followers.clear();
        }
    }

    /** What a request gets from {@link #acquire()}: a build to follow, or word to stream its own. */
    sealed interface Outcome permits Share, TooLarge {
    }

    /** Follow {@code build}; when {@code mine}, the caller runs it with {@link #run(Build)} after following it. */
    record Share(Build build, boolean mine) implements Outcome {
    }

    /** The directory's snapshot passed the memory cap: stream a live one per request. */
    record TooLarge() implements Outcome {
    }

    private final FeedSettings settings;
    private final ChangeLog log;
    private final SnapshotReader reader;
    private final Semaphore slots;
    private final AtomicReference<Build> building = new AtomicReference<>();
    private volatile Build latest;
    private volatile boolean tooLarge;

    SharedSnapshot(FeedSettings settings, ChangeLog log, SnapshotReader reader, Semaphore slots) {
        this.settings = settings;
        this.log = log;
        this.reader = reader;
        this.slots = slots;
    }

    /**
     * The kept snapshot when it is still usable, else the build in progress, else a new build that
     * the caller must {@link #run(Build)}. Never blocks.
     */
    Outcome acquire() {
        if (tooLarge) {
            return new TooLarge();
        }
        Optional<Build> usable = usable();
        if (usable.isPresent()) {
            return new Share(usable.get(), false);
        }
        Build mine = new Build();
        Build joined = building.compareAndExchange(null, mine);
        if (joined != null) {
            joined.joiners.incrementAndGet();
            return new Share(joined, false);
        }
        // A build that finished between usable() and taking the build over is as good as a new one;
        // mine takes its chunks, for whoever joined mine in between.
        Optional<Build> justBuilt = usable();
        if (justBuilt.isPresent()) {
            Build done = justBuilt.get();
            mine.chunks = done.chunks;
            mine.count = done.count;
            mine.version = done.version;
            mine.bytes = done.bytes;
            mine.builtAtNanos = done.builtAtNanos;
            settle(mine, State.COMPLETE, null);
            return new Share(done, false);
        }
        return new Share(mine, true);
    }

    /** Requests that joined the build in progress (the one running it aside); 0 when none runs. */
    int waiting() {
        Build current = building.get();
        return current == null ? 0 : current.joiners.get();
    }

    private Optional<Build> usable() {
        Build kept = latest;
        if (kept == null || System.nanoTime() - kept.builtAtNanos > settings.snapshotMaxAge().toNanos()) {
            return Optional.empty();
        }
        // The sidecar resumes with changes?after=V: the log must still hold V + 1.
        return log.oldestVersion() <= kept.version + 1 ? Optional.of(kept) : Optional.empty();
    }

    /** On a blocking thread: reads the store into {@code build}, which ends COMPLETE, FAILED or TOO_LARGE. */
    void run(Build build) {
        if (!slots.tryAcquire()) {
            settle(build, State.FAILED, Refusal.unavailable("too many snapshots are being served; retry shortly", 2));
            return;
        }
        // The snapshot is the directory as of its read, which starts now: its age counts from here.
        long started = System.nanoTime();
        try {
            ChunkList out = new ChunkList(settings.snapshotCacheBytes(), build);
            SnapshotEncoder encoder;
            SnapshotResponse.FastGzip gzip = new SnapshotResponse.FastGzip(out);
            try {
                encoder = new SnapshotEncoder(gzip, v -> build.version = v);
                reader.read(encoder);
                encoder.finish();
                gzip.finish();
                out.emitRest();
            } finally {
                // A failed build's gzip trailer must reach no one; closing frees the deflater.
                out.seal();
                gzip.close();
            }
            build.bytes = out.bytes();
            build.builtAtNanos = started;
            latest = build;
            settle(build, State.COMPLETE, null);
            LOG.atInfo().setMessage("shared snapshot built").addKeyValue("event", "feed_snapshot_built")
                    .addKeyValue("version", build.version).addKeyValue("users", encoder.users())
                    .addKeyValue("groups", encoder.groups()).addKeyValue("memberships", encoder.memberships())
                    .addKeyValue("gzip_bytes", build.bytes)
                    .addKeyValue("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).log();
        } catch (CapReached e) {
            tooLarge = true;
            latest = null;
            settle(build, State.TOO_LARGE, null);
            LOG.atWarn().setMessage("the snapshot is larger than the shared-snapshot cap; each request streams its own")
                    .addKeyValue("event", "feed_snapshot_too_large_to_share")
                    .addKeyValue("cap_bytes", settings.snapshotCacheBytes()).log();
        } catch (IOException | RuntimeException e) {
            boolean store = e instanceof StoreUnavailableException;
            LOG.atError().setMessage(store ? "shared snapshot failed: the store is unavailable" : "shared snapshot failed")
                    .addKeyValue("event", store ? "feed_store_unavailable" : "feed_snapshot_failed").setCause(e).log();
            settle(build, State.FAILED, store
                    ? Refusal.unavailable("the directory store is unavailable; retry shortly", 5)
                    : Refusal.unavailable("the snapshot failed; retry shortly", 2));
        } catch (Error e) {
            // Whatever broke the build, its followers are answered, never left waiting.
            settle(build, State.FAILED, Refusal.unavailable("the snapshot failed; retry shortly", 2));
            throw e;
        } finally {
            slots.release();
        }
    }

    /** Before the followers are told: the next request after a failure starts a new build. */
    private void settle(Build build, State ended, Refusal why) {
        building.compareAndSet(build, null);
        build.end(ended, why);
    }

    /** The build went past the memory cap. */
    private static final class CapReached extends RuntimeException {
        CapReached() {
            super("the snapshot passed the shared-snapshot cap", null, false, false);
        }
    }

    /** Cuts the gzip stream into chunks appended to the build, up to a cap. */
    private static final class ChunkList extends ChunkingStream {
        private final long cap;
        private final Build build;
        private long bytes;
        private boolean sealed;

        ChunkList(long cap, Build build) {
            this.cap = cap;
            this.build = build;
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            if (sealed) {
                return;
            }
            bytes += length;
            if (bytes > cap) {
                throw new CapReached();
            }
            super.write(source, offset, length);
        }

        @Override
        protected void emit(byte[] chunk) {
            build.append(chunk);
        }

        /** Nothing written from now on reaches the build (a failed build's gzip trailer). */
        void seal() {
            sealed = true;
        }

        long bytes() {
            return bytes;
        }
    }
}
