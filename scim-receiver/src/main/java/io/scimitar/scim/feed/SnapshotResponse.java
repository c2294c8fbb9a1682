package io.scimitar.scim.feed;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.scimitar.scim.store.StoreUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /feed/v1/snapshot}. A gzip request is answered from the {@link SharedSnapshot}: the
 * chunks of one build, written whenever the channel is writable. A plain one (or any when the
 * snapshot is too large to share) is streamed live: a blocking thread reads the store in one
 * transaction and encodes (and gzips) the lines into 64 KiB chunks, through a queue of
 * {@link #QUEUED_CHUNKS} chunks, so it holds about 300 KiB whatever the directory's size, and a slow
 * client slows the read instead of filling memory.
 */
final class SnapshotResponse implements Exchange {

    static final String VERSION_HEADER = "X-Scimitar-Version";
    static final int CHUNK_BYTES = 64 * 1024;
    private static final int QUEUED_CHUNKS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotResponse.class);

    private final ChannelHandlerContext ctx;
    private final FeedHandler handler;
    private final Feed feed;
    private final Feed.Live live;
    private final FeedRequest request;
    private final ArrayBlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    private volatile boolean cancelled;
    private volatile boolean produced;
    private ExecutorService blocking;
    // Event-loop state.
    private boolean headersSent;
    private boolean ended;
    /** The shared snapshot's chunks being written, and the next one to write; null when streaming live. */
    private List<byte[]> shared;
    private int next;
    private ScheduledFuture<?> stallCheck;

    SnapshotResponse(ChannelHandlerContext ctx, FeedHandler handler, Feed feed, Feed.Live live, FeedRequest request) {
        this.ctx = ctx;
        this.handler = handler;
        this.feed = feed;
        this.live = live;
        this.request = request;
    }

    void start(ExecutorService blocking) {
        this.blocking = blocking;
        try {
            blocking.execute(this::produce);
        } catch (RejectedExecutionException e) {
            refuse(Refusal.unavailable("the receiver is busy; retry shortly", 1));
        }
    }

    /** On a blocking thread: checks, then the shared snapshot (gzip) or a live read. */
    private void produce() {
        var refused = feed.authorize(live.settings(), request);
        if (refused.isPresent()) {
            onLoop(() -> refuse(refused.get()));
            return;
        }
        if (!request.acceptsGzip()) {
            produceLive();
            return;
        }
        // Runs now when the snapshot is ready, else on the thread that builds it: hand off at once.
        live.shared().acquire().whenComplete((outcome, failure) -> {
            if (failure != null) {
                Refusal refusal = failure instanceof SharedSnapshot.BuildFailed f ? f.refusal
                        : Refusal.unavailable("the snapshot failed; retry shortly", 2);
                onLoop(() -> refuse(refusal));
                return;
            }
            switch (outcome) {
                case SharedSnapshot.Ready ready -> onLoop(() -> serve(ready.snapshot()));
                case SharedSnapshot.TooLarge tooLarge -> {
                    try {
                        blocking.execute(this::produceLive);
                    } catch (RejectedExecutionException e) {
                        onLoop(() -> refuse(Refusal.unavailable("the receiver is busy; retry shortly", 1)));
                    }
                }
            }
        });
    }

    /** On the event loop: writes the shared snapshot's chunks as the channel takes them. */
    private void serve(SharedSnapshot.Built snapshot) {
        if (ended) {
            return;
        }
        shared = snapshot.chunks();
        produced = true;
        LOG.atDebug().setMessage("shared snapshot served").addKeyValue("event", "feed_snapshot_shared")
                .addKeyValue("version", snapshot.version()).addKeyValue("gzip_bytes", snapshot.bytes()).log();
        begin(snapshot.version());
    }

    /** On a blocking thread: the whole read, chunk by chunk, for this request alone. */
    private void produceLive() {
        if (cancelled) {
            return;
        }
        if (!live.snapshotSlots().tryAcquire()) {
            onLoop(() -> refuse(Refusal.unavailable("too many snapshots are being served; retry shortly", 2)));
            return;
        }
        long started = System.nanoTime();
        try {
            ChunkSink sink = new ChunkSink();
            OutputStream out = request.acceptsGzip() ? new FastGzip(sink) : sink;
            SnapshotEncoder encoder = new SnapshotEncoder(out, version -> onLoop(() -> begin(version)));
            live.snapshots().read(encoder);
            encoder.finish();
            out.close();
            produced = true;
            onLoop(this::pump);
            LOG.atInfo().setMessage("snapshot served").addKeyValue("event", "feed_snapshot_served")
                    .addKeyValue("users", encoder.users()).addKeyValue("groups", encoder.groups())
                    .addKeyValue("memberships", encoder.memberships()).addKeyValue("gzip", request.acceptsGzip())
                    .addKeyValue("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).log();
        } catch (Abandoned e) {
            LOG.atInfo().setMessage("snapshot abandoned").addKeyValue("event", "feed_snapshot_abandoned")
                    .addKeyValue("reason", e.getMessage()).log();
            onLoop(ctx::close);
        } catch (StoreUnavailableException e) {
            LOG.atError().setMessage("snapshot failed: the store is unavailable")
                    .addKeyValue("event", "feed_store_unavailable").setCause(e).log();
            onLoop(() -> fail(Refusal.unavailable("the directory store is unavailable; retry shortly", 5)));
        } catch (IOException | RuntimeException e) {
            LOG.atError().setMessage("snapshot failed").addKeyValue("event", "feed_snapshot_failed").setCause(e).log();
            onLoop(() -> fail(Refusal.of(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the snapshot failed")));
        } finally {
            live.snapshotSlots().release();
        }
    }

    private void begin(long version) {
        if (ended) {
            return;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING)
                .set(VERSION_HEADER, Long.toString(version));
        if (request.acceptsGzip()) {
            response.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        if (!request.keepAlive()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.write(response);
        headersSent = true;
        pump();
    }

    /** Writes queued chunks while the channel takes them; the last one ends the response. */
    private void pump() {
        if (!headersSent || ended) {
            return;
        }
        boolean wrote = false;
        while (ctx.channel().isWritable()) {
            byte[] chunk = nextChunk();
            if (chunk == null) {
                break;
            }
            // Wrapped, not copied: a shared chunk is only read, by every client that writes it.
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
            wrote = true;
        }
        if (produced && remaining() == 0) {
            ended = true;
            handler.finish(ctx, request.keepAlive(), ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        } else if (wrote) {
            ctx.flush();
        }
        if (shared != null && !ended && stallCheck == null && !ctx.channel().isWritable()) {
            // A live read stalls in its producer (the queue stays full); a shared one has none, so the loop watches.
            int mark = next;
            stallCheck = ctx.executor().schedule(() -> stalled(mark),
                    live.settings().stallTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private byte[] nextChunk() {
        if (shared == null) {
            return chunks.poll();
        }
        return next < shared.size() ? shared.get(next++) : null;
    }

    private int remaining() {
        return shared == null ? chunks.size() : shared.size() - next;
    }

    /** The client took no chunk of the shared snapshot for the stall timeout: give it up, as a live read would. */
    private void stalled(int mark) {
        stallCheck = null;
        if (ended) {
            return;
        }
        if (next == mark && !ctx.channel().isWritable()) {
            LOG.atInfo().setMessage("snapshot abandoned").addKeyValue("event", "feed_snapshot_abandoned")
                    .addKeyValue("reason", "the client stopped reading for " + live.settings().stallTimeout()).log();
            ended = true;
            ctx.close();
            return;
        }
        pump();
    }

    private void refuse(Refusal refusal) {
        if (!ended) {
            ended = true;
            handler.refuse(ctx, request, refusal);
        }
    }

    /** Before the first byte a failure is an error response; after it, only a cut connection can tell. */
    private void fail(Refusal refusal) {
        if (headersSent) {
            ended = true;
            ctx.close();
        } else {
            refuse(refusal);
        }
    }

    private void onLoop(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            cancelled = true;
        }
    }

    @Override
    public void writabilityChanged() {
        pump();
    }

    @Override
    public void drain() {
        closed();
        ctx.close();
    }

    @Override
    public void closed() {
        ended = true;
        cancelled = true;
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
        // Frees the producer if it waits for room; it then sees the cancellation.
        chunks.clear();
    }

    /** The read stops: the client left, stopped reading, or the server is closing. */
    private static final class Abandoned extends RuntimeException {
        Abandoned(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Cuts the encoded stream into chunks and hands each to the event loop, waiting for room. */
    private final class ChunkSink extends OutputStream {
        private byte[] buffer = new byte[CHUNK_BYTES];
        private int size;

        @Override
        public void write(int b) {
            if (size == buffer.length) {
                emitFull();
            }
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            while (length > 0) {
                if (size == buffer.length) {
                    emitFull();
                }
                int n = Math.min(length, buffer.length - size);
                System.arraycopy(bytes, offset, buffer, size, n);
                size += n;
                offset += n;
                length -= n;
            }
        }

        @Override
        public void close() {
            if (size > 0) {
                emit(Arrays.copyOf(buffer, size));
                size = 0;
            }
        }

        private void emitFull() {
            emit(buffer);
            buffer = new byte[CHUNK_BYTES];
            size = 0;
        }

        private void emit(byte[] chunk) {
            if (cancelled) {
                throw new Abandoned("the connection closed");
            }
            boolean queued;
            try {
                queued = chunks.offer(chunk, live.settings().stallTimeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Abandoned("interrupted: the server is stopping");
            }
            if (!queued) {
                throw new Abandoned("the client stopped reading for " + live.settings().stallTimeout());
            }
            if (cancelled) {
                throw new Abandoned("the connection closed");
            }
            onLoop(SnapshotResponse.this::pump);
        }
    }

    /**
     * gzip at the fastest level: the snapshot is mostly ids, which compress ~3x even so, and the
     * default level cost ~4 s of the receiver's CPU for 100,000 users (benchmarks/RESULTS.md).
     */
    static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream sink) throws IOException {
            super(sink, 8192);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
