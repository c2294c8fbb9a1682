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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /feed/v1/snapshot}. A gzip request is answered from the {@link SharedSnapshot}: the
 * chunks of one build, written as the build produces them and the channel takes them. A plain one
 * (or any when the snapshot is too large to share) is streamed live: a blocking thread reads the
 * store in one transaction and encodes (and gzips) the lines into 64 KiB chunks, through a queue of
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
    /** Set while a wake-up from the shared build is queued on the event loop: one is enough. */
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final Runnable wake = this::wake;
    private ExecutorService blocking;
    // Event-loop state.
    private boolean headersSent;
    private boolean ended;
    /** The shared build being written, and its next chunk to write; null when streaming live. */
    private SharedSnapshot.Build shared;
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
        switch (live.shared().acquire()) {
            case SharedSnapshot.TooLarge tooLarge -> produceLive();
            case SharedSnapshot.Share share -> {
                onLoop(() -> follow(share.build()));
                if (share.mine()) {
                    live.shared().run(share.build());
                }
            }
        }
    }

    /** On the event loop: writes the shared build's chunks from the first, then each as it comes. */
    private void follow(SharedSnapshot.Build build) {
        if (ended) {
            return;
        }
        shared = build;
        build.follow(wake);
        pump();
    }

    /** On the building thread: a new chunk or the build's end; the event loop pumps once for any number of them. */
    private void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            onLoop(() -> {
                wakeQueued.set(false);
                pump();
            });
        }
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
        if (ended) {
            return;
        }
        if (shared != null) {
            pumpShared();
            return;
        }
        if (!headersSent) {
            return;
        }
        boolean wrote = false;
        while (ctx.channel().isWritable()) {
            byte[] chunk = chunks.poll();
            if (chunk == null) {
                break;
            }
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
            wrote = true;
        }
        if (produced && chunks.isEmpty()) {
            ended = true;
            handler.finish(ctx, request.keepAlive(), ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        } else if (wrote) {
            ctx.flush();
        }
    }

    /**
     * The shared build's chunks [next, count) while the channel takes them. The headers go out with
     * the first chunk, so a build that fails or passes the cap before it has any is still answered
     * with a 503 or a live read; after the first byte, only a cut can tell the client.
     */
    private void pumpShared() {
        SharedSnapshot.Build build = shared;
        // The state first: once COMPLETE, the count read after it is final.
        SharedSnapshot.State state = build.state();
        int count = build.count();
        if (!headersSent) {
            switch (state) {
                case FAILED -> {
                    build.unfollow(wake);
                    refuse(build.refusal());
                    return;
                }
                case TOO_LARGE -> {
                    build.unfollow(wake);
                    streamLiveInstead();
                    return;
                }
                case RUNNING -> {
                    if (count == 0) {
                        return;
                    }
                }
                case COMPLETE -> {
                }
            }
            begin(build.version());
            return;
        }
        if (state == SharedSnapshot.State.FAILED || state == SharedSnapshot.State.TOO_LARGE) {
            LOG.atInfo().setMessage("shared snapshot cut").addKeyValue("event", "feed_snapshot_cut")
                    .addKeyValue("reason", state == SharedSnapshot.State.FAILED ? "the build failed"
                            : "the build passed the shared-snapshot cap").log();
            build.unfollow(wake);
            ended = true;
            ctx.close();
            return;
        }
        boolean wrote = false;
        while (next < count && ctx.channel().isWritable()) {
            // Wrapped, not copied: a shared chunk is only read, by every client that writes it.
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(build.chunk(next++))));
            wrote = true;
        }
        if (state == SharedSnapshot.State.COMPLETE && next == count) {
            build.unfollow(wake);
            ended = true;
            LOG.atDebug().setMessage("shared snapshot served").addKeyValue("event", "feed_snapshot_shared")
                    .addKeyValue("version", build.version()).addKeyValue("gzip_bytes", build.bytes()).log();
            handler.finish(ctx, request.keepAlive(), ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
            return;
        }
        if (wrote) {
            ctx.flush();
        }
        if (stallCheck == null && !ctx.channel().isWritable()) {
            // A live read stalls in its producer (the queue stays full); a shared one has none, so the loop watches.
            int mark = next;
            stallCheck = ctx.executor().schedule(() -> stalled(mark),
                    live.settings().stallTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** The shared build passed the cap before this response's first byte: read the store for it alone. */
    private void streamLiveInstead() {
        shared = null;
        try {
            blocking.execute(this::produceLive);
        } catch (RejectedExecutionException e) {
            refuse(Refusal.unavailable("the receiver is busy; retry shortly", 1));
        }
    }

    /** The client took no chunk of the shared snapshot for the stall timeout: give it up, as a live read would. */
    private void stalled(int mark) {
        stallCheck = null;
        if (ended) {
            return;
        }
        if (next == mark && !ctx.channel().isWritable()) {
            shared.unfollow(wake);
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
        if (shared != null) {
            shared.unfollow(wake);
        }
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
    private final class ChunkSink extends ChunkingStream {

        @Override
        public void close() {
            emitRest();
        }

        @Override
        protected void emit(byte[] chunk) {
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
