package io.scimitar.scim.feed;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.scimitar.scim.store.Change;
import io.scimitar.scim.store.ChangeLog;
import io.scimitar.scim.store.StoreUnavailableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /feed/v1/changes?after=V}: the changes after V read from the log (the backlog), then
 * every change as it commits, each version exactly once and in order, with heartbeats when idle.
 *
 * <p>Why there is no gap or duplicate at the switch: the stream registers with the
 * {@link ChangeFanout} before it reads the backlog, and buffers what the fanout hands it meanwhile.
 * A change committed before a backlog read is in that read; one committed after the registration is
 * in the buffer; every change is one or the other (or both). Once a read comes back short (the log
 * had nothing more), the buffer is drained skipping versions already sent, and each later version
 * must be exactly one above the last sent: anything else closes the stream, and the client resumes.
 *
 * <p>Everything but the log reads runs on the connection's event loop; a page of the backlog is
 * read only when the channel is writable again, and a client that stops reading is disconnected once
 * {@link FeedSettings#maxPendingLines()} lines wait for it or it has not read for
 * {@link FeedSettings#stallTimeout()}.
 */
final class ChangeStream implements Exchange, ChangeFanout.Follower {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeStream.class);
    /** Digits of the largest version accepted in {@code after} (a long has 19). */
    private static final int MAX_AFTER_DIGITS = 18;

    private enum State { CHECKING, CATCHING_UP, LIVE, ENDED }

    private record Line(long version, byte[] bytes) {
    }

    private final ChannelHandlerContext ctx;
    private final FeedHandler handler;
    private final Feed feed;
    private final Feed.Live live;
    private final FeedRequest request;
    private final long heartbeatNanos;
    private final ArrayDeque<Line> buffered = new ArrayDeque<>();
    private final ChannelFutureListener onWritten = this::written;
    private ExecutorService blocking;
    private State state = State.CHECKING;
    private long lastSent;
    private boolean sentAny;
    private boolean awaitingWritable;
    private int pending;
    private long lastWriteNanos;
    private long unwritableSinceNanos;
    private ScheduledFuture<?> heartbeat;

    ChangeStream(ChannelHandlerContext ctx, FeedHandler handler, Feed feed, Feed.Live live, FeedRequest request) {
        this.ctx = ctx;
        this.handler = handler;
        this.feed = feed;
        this.live = live;
        this.request = request;
        this.heartbeatNanos = live.settings().heartbeat().toNanos();
    }

    void start(ExecutorService pool) {
        this.blocking = pool;
        // Before the first read of the log: from here on no committed change can be missed.
        live.fanout().register(ctx.executor(), this);
        submit(this::check);
    }

    /** On a blocking thread: the token, {@code after}, the log's range, and the first page of the backlog. */
    private void check() {
        Optional<Refusal> refused = feed.authorize(live.settings(), request);
        if (refused.isEmpty()) {
            refused = open();
        }
        refused.ifPresent(r -> onLoop(() -> refuse(r)));
    }

    /** Validates {@code after} against the log and reads the first page; empty when the stream begins. */
    private Optional<Refusal> open() {
        List<String> values = request.query().map(q -> q.getOrDefault("after", List.of())).orElse(List.of());
        if (values.size() != 1) {
            return badRequest("the query parameter after=V (the last version the client has) is required, once");
        }
        String value = values.get(0);
        if (value.isEmpty() || value.length() > MAX_AFTER_DIGITS || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return badRequest("after must be a whole number of at most " + MAX_AFTER_DIGITS + " digits, got '"
                    + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'");
        }
        long after = Long.parseLong(value);
        ChangeLog log = live.log();
        long current = log.currentVersion();
        long oldest = log.oldestVersion();
        if (after > current) {
            return badRequest("after=" + after + " is above this receiver's current version " + current
                    + ": the client is ahead of the store (a misconfiguration?)");
        }
        if (after < oldest - 1) {
            return Optional.of(Refusal.of(HttpResponseStatus.GONE, "after=" + after
                    + " is older than the change log holds (oldest version " + oldest + "): take a fresh snapshot"));
        }
        List<Line> page = read(after);
        onLoop(() -> begin(after, page));
        return Optional.empty();
    }

    private static Optional<Refusal> badRequest(String detail) {
        return Optional.of(Refusal.of(HttpResponseStatus.BAD_REQUEST, detail));
    }

    /** One page of the backlog after {@code version}, encoded; on a blocking thread. */
    private List<Line> read(long version) {
        List<Change> changes = live.log().readAfter(version, live.settings().backlogPage());
        List<Line> lines = new ArrayList<>(changes.size());
        for (Change change : changes) {
            lines.add(new Line(change.version(), FeedLines.change(change)));
        }
        return lines;
    }

    private void begin(long after, List<Line> page) {
        if (state != State.CHECKING) {
            return;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        ctx.write(response);
        state = State.CATCHING_UP;
        lastSent = after;
        lastWriteNanos = System.nanoTime();
        handler.resumeReading(ctx);
        page(page);
    }

    /** Writes a page of the backlog; a full page means there may be more, read once the client keeps up. */
    private void page(List<Line> page) {
        if (state != State.CATCHING_UP) {
            return;
        }
        for (Line line : page) {
            if (line.version() != lastSent + 1) {
                abort("the change log skipped from version " + lastSent + " to " + line.version());
                return;
            }
            write(line.bytes());
            lastSent = line.version();
        }
        ctx.flush();
        boolean more = page.size() == live.settings().backlogPage();
        boolean bufferJoins = !buffered.isEmpty() && buffered.peekFirst().version() <= lastSent + 1;
        if (!more || bufferJoins) {
            goLive();
        } else if (ctx.channel().isWritable()) {
            readNext();
        } else {
            awaitingWritable = true;
        }
    }

    private void readNext() {
        long from = lastSent;
        submit(() -> {
            List<Line> page = read(from);
            onLoop(() -> page(page));
        });
    }

    private void goLive() {
        state = State.LIVE;
        Line line;
        while ((line = buffered.poll()) != null) {
            deliver(line.version(), line.bytes());
            if (state != State.LIVE) {
                return;
            }
        }
        if (!sentAny) {
            // Nothing to catch up on: say at once that the client is current, so it knows the stream is up.
            write(FeedLines.heartbeat(lastSent));
        }
        ctx.flush();
        scheduleHeartbeat(heartbeatNanos);
    }

    @Override
    public void onChange(long version, byte[] line) {
        switch (state) {
            case CHECKING, CATCHING_UP -> {
                buffered.add(new Line(version, line));
                if (buffered.size() > live.settings().maxPendingLines()) {
                    abort("more than " + live.settings().maxPendingLines() + " changes arrived while catching up");
                }
            }
            case LIVE -> {
                deliver(version, line);
                if (state == State.LIVE) {
                    ctx.flush();
                }
            }
            case ENDED -> {
            }
        }
    }

    private void deliver(long version, byte[] line) {
        if (version <= lastSent) {
            return; // already sent from the backlog
        }
        if (version != lastSent + 1) {
            abort("missed versions " + (lastSent + 1) + " to " + (version - 1) + " of the live changes");
            return;
        }
        write(line);
        lastSent = version;
        if (pending > live.settings().maxPendingLines()) {
            abort("the client does not read: " + pending + " lines wait for it");
        }
    }

    private void write(byte[] line) {
        pending++;
        sentAny = true;
        lastWriteNanos = System.nanoTime();
        ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(line))).addListener(onWritten);
    }

    private void written(io.netty.channel.ChannelFuture future) {
        pending--;
        if (!future.isSuccess()) {
            end();
            ctx.close();
        }
    }

    private void scheduleHeartbeat(long delayNanos) {
        heartbeat = ctx.executor().schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Sends a heartbeat when nothing was written for a whole interval; gives up on a client that stopped reading. */
    private void tick() {
        if (state != State.LIVE) {
            return;
        }
        long now = System.nanoTime();
        if (unwritableSinceNanos != 0 && now - unwritableSinceNanos > live.settings().stallTimeout().toNanos()) {
            abort("the client has not read for " + live.settings().stallTimeout());
            return;
        }
        long idle = now - lastWriteNanos;
        if (idle >= heartbeatNanos) {
            write(FeedLines.heartbeat(lastSent));
            ctx.flush();
            scheduleHeartbeat(heartbeatNanos);
        } else {
            scheduleHeartbeat(heartbeatNanos - idle);
        }
    }

    @Override
    public void writabilityChanged() {
        if (ctx.channel().isWritable()) {
            unwritableSinceNanos = 0;
            if (awaitingWritable && state == State.CATCHING_UP) {
                awaitingWritable = false;
                readNext();
            }
        } else if (unwritableSinceNanos == 0) {
            unwritableSinceNanos = System.nanoTime();
        }
    }

    private void refuse(Refusal refusal) {
        if (state != State.CHECKING) {
            return;
        }
        end();
        handler.refuse(ctx, request, refusal);
    }

    /** Cuts the stream (no final chunk): the client sees the response end early and resumes from its version. */
    @Override
    public void cut(String reason) {
        abort(reason);
    }

    private void abort(String reason) {
        if (state == State.ENDED) {
            return;
        }
        LOG.atInfo().setMessage("change stream closed").addKeyValue("event", "feed_stream_closed")
                .addKeyValue("reason", reason).addKeyValue("last_version", lastSent)
                .addKeyValue("remote", ctx.channel().remoteAddress()).log();
        end();
        ctx.close();
    }

    @Override
    public void drain() {
        if (state == State.ENDED) {
            return;
        }
        boolean started = state != State.CHECKING;
        end();
        if (started) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void closed() {
        end();
    }

    private void end() {
        state = State.ENDED;
        buffered.clear();
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        live.fanout().unregister(ctx.executor(), this);
    }

    private void submit(Runnable read) {
        try {
            blocking.execute(() -> {
                try {
                    read.run();
                } catch (StoreUnavailableException e) {
                    LOG.atError().setMessage("change stream: the store is unavailable")
                            .addKeyValue("event", "feed_store_unavailable").setCause(e).log();
                    onLoop(() -> failed(Refusal.unavailable("the directory store is unavailable; retry shortly", 5)));
                } catch (RuntimeException e) {
                    LOG.atError().setMessage("change stream failed").addKeyValue("event", "feed_stream_failed")
                            .setCause(e).log();
                    onLoop(() -> failed(Refusal.of(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the change stream failed")));
                }
            });
        } catch (RejectedExecutionException e) {
            failed(Refusal.unavailable("the receiver is busy; retry shortly", 1));
        }
    }

    /** Before the 200 a failure is an error response; after it, the stream is cut and the client resumes. */
    private void failed(Refusal refusal) {
        if (state == State.CHECKING) {
            refuse(refusal);
        } else {
            abort(refusal.detail());
        }
    }

    private void onLoop(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            LOG.atDebug().setMessage("event loop stopped").addKeyValue("event", "feed_loop_stopped").log();
        }
    }
}
