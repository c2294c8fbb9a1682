package io.scimitar.scim.feed;

import io.scimitar.scim.store.ChangeLog;
import io.scimitar.scim.store.StoreUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The most recent gzip snapshot, kept in memory as the chunks it was encoded into, so that a fleet
 * deploy (every sidecar asking at once) costs the receiver one store read and one gzip instead of
 * one per sidecar, like the Kubernetes API server's watch cache. A snapshot is reused while it is
 * younger than {@link FeedSettings#snapshotMaxAge()} and the change log still holds the changes after
 * it (the sidecar follows them from its version); requests that arrive while one is being built
 * join that build (single flight). A snapshot larger than {@link FeedSettings#snapshotCacheBytes()}
 * is not kept: the build stops there, and from then on every request streams its own, as before.
 */
final class SharedSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(SharedSnapshot.class);

    /** A finished snapshot: its version, its gzip chunks in order, and when it was built ({@link System#nanoTime()}). */
    record Built(long version, List<byte[]> chunks, long bytes, long builtAtNanos) {
    }

    /** What a request gets from {@link #acquire()}: a snapshot to write, or word to stream its own. */
    sealed interface Outcome permits Ready, TooLarge {
    }

    record Ready(Built snapshot) implements Outcome {
    }

    /** The directory's snapshot passed the memory cap: stream a live one per request. */
    record TooLarge() implements Outcome {
    }

    /** The build failed; every request that joined it is refused with this. */
    static final class BuildFailed extends RuntimeException {
        final transient Refusal refusal;

        BuildFailed(Refusal refusal, Throwable cause) {
            super(refusal.detail(), cause);
            this.refusal = refusal;
        }
    }

    private final FeedSettings settings;
    private final ChangeLog log;
    private final SnapshotReader reader;
    private final Semaphore slots;
    private final AtomicReference<CompletableFuture<Outcome>> building = new AtomicReference<>();
    private volatile Built latest;
    private volatile boolean tooLarge;

    SharedSnapshot(FeedSettings settings, ChangeLog log, SnapshotReader reader, Semaphore slots) {
        this.settings = settings;
        this.log = log;
        this.reader = reader;
        this.slots = slots;
    }

    /**
     * On a blocking thread: the kept snapshot when it is still usable, else the build in progress,
     * else a new build that this thread runs. The future completes on the building thread; it fails
     * with {@link BuildFailed} when the build did.
     */
    CompletableFuture<Outcome> acquire() {
        if (tooLarge) {
            return CompletableFuture.completedFuture(new TooLarge());
        }
        Optional<Built> usable = usable();
        if (usable.isPresent()) {
            return CompletableFuture.completedFuture(new Ready(usable.get()));
        }
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> joined = building.compareAndExchange(null, mine);
        if (joined != null) {
            return joined;
        }
        try {
            // A build that finished between usable() and taking the build over is as good as a new one.
            Optional<Built> justBuilt = usable();
            mine.complete(justBuilt.<Outcome>map(Ready::new).orElseGet(this::build));
        } catch (BuildFailed e) {
            mine.completeExceptionally(e);
        } catch (RuntimeException | Error e) {
            // Whatever broke the build, the requests that joined it are answered, never left waiting.
            mine.completeExceptionally(e);
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            // Before the joined requests run: the next request after a failure starts a new build.
            building.set(null);
        }
        return mine;
    }

    /** Requests that joined the build in progress (the one running it aside); 0 when none runs. */
    int waiting() {
        CompletableFuture<Outcome> current = building.get();
        return current == null ? 0 : current.getNumberOfDependents();
    }

    private Optional<Built> usable() {
        Built kept = latest;
        if (kept == null || System.nanoTime() - kept.builtAtNanos() > settings.snapshotMaxAge().toNanos()) {
            return Optional.empty();
        }
        // The sidecar resumes with changes?after=V: the log must still hold V + 1.
        return log.oldestVersion() <= kept.version() + 1 ? Optional.of(kept) : Optional.empty();
    }

    private Outcome build() {
        if (!slots.tryAcquire()) {
            throw new BuildFailed(Refusal.unavailable("too many snapshots are being served; retry shortly", 2), null);
        }
        // The snapshot is the directory as of its read, which starts now: its age counts from here.
        long started = System.nanoTime();
        try {
            ChunkList out = new ChunkList(settings.snapshotCacheBytes());
            long[] version = {-1};
            SnapshotEncoder encoder;
            try (SnapshotResponse.FastGzip gzip = new SnapshotResponse.FastGzip(out)) {
                encoder = new SnapshotEncoder(gzip, v -> version[0] = v);
                reader.read(encoder);
                encoder.finish();
            }
            Built built = new Built(version[0], out.chunks(), out.bytes(), started);
            latest = built;
            LOG.atInfo().setMessage("shared snapshot built").addKeyValue("event", "feed_snapshot_built")
                    .addKeyValue("version", built.version()).addKeyValue("users", encoder.users())
                    .addKeyValue("groups", encoder.groups()).addKeyValue("memberships", encoder.memberships())
                    .addKeyValue("gzip_bytes", built.bytes())
                    .addKeyValue("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).log();
            return new Ready(built);
        } catch (CapReached e) {
            tooLarge = true;
            latest = null;
            LOG.atWarn().setMessage("the snapshot is larger than the shared-snapshot cap; each request streams its own")
                    .addKeyValue("event", "feed_snapshot_too_large_to_share")
                    .addKeyValue("cap_bytes", settings.snapshotCacheBytes()).log();
            return new TooLarge();
        } catch (IOException | RuntimeException e) {
            boolean store = e instanceof StoreUnavailableException;
            LOG.atError().setMessage(store ? "shared snapshot failed: the store is unavailable" : "shared snapshot failed")
                    .addKeyValue("event", store ? "feed_store_unavailable" : "feed_snapshot_failed").setCause(e).log();
            throw new BuildFailed(store ? Refusal.unavailable("the directory store is unavailable; retry shortly", 5)
                    : Refusal.unavailable("the snapshot failed; retry shortly", 2), e);
        } finally {
            slots.release();
        }
    }

    /** The build went past the memory cap. */
    private static final class CapReached extends RuntimeException {
        CapReached() {
            super("the snapshot passed the shared-snapshot cap", null, false, false);
        }
    }

    /** Cuts the gzip stream into {@link SnapshotResponse#CHUNK_BYTES} chunks held in memory, up to a cap. */
    private static final class ChunkList extends OutputStream {
        private final long cap;
        private final List<byte[]> chunks = new ArrayList<>();
        private byte[] buffer = new byte[SnapshotResponse.CHUNK_BYTES];
        private int size;
        private long bytes;

        ChunkList(long cap) {
            this.cap = cap;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] source, int offset, int length) {
            bytes += length;
            if (bytes > cap) {
                throw new CapReached();
            }
            while (length > 0) {
                if (size == buffer.length) {
                    chunks.add(buffer);
                    buffer = new byte[SnapshotResponse.CHUNK_BYTES];
                    size = 0;
                }
                int n = Math.min(length, buffer.length - size);
                System.arraycopy(source, offset, buffer, size, n);
                size += n;
                offset += n;
                length -= n;
            }
        }

        List<byte[]> chunks() {
            List<byte[]> all = new ArrayList<>(chunks);
            if (size > 0) {
                all.add(Arrays.copyOf(buffer, size));
            }
            return List.copyOf(all);
        }

        long bytes() {
            return bytes;
        }
    }
}
