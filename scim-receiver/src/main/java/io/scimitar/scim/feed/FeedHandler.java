package io.scimitar.scim.feed;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;

/**
 * The feed's handler on one connection, between the HTTP codec and SCIM's handlers: it answers
 * requests under {@code /feed} and passes every other one on. Responses leave in request order even
 * when a client pipelines: a feed request waits until SCIM has answered the requests before it
 * (counted from the responses SCIM writes through this handler), and requests that arrive while a
 * feed response is being written wait for it to end.
 */
final class FeedHandler extends ChannelDuplexHandler {

    /** HTTP objects held back while a feed response is written; more than this is abuse. */
    private static final int MAX_HELD = 64;

    private final Feed feed;
    private final ExecutorService blocking;
    private final ArrayDeque<HttpObject> held = new ArrayDeque<>();
    /** SCIM requests passed on and not yet answered. */
    private int scimInFlight;
    /** Reading the body of a feed request (discarded: feed requests carry none). */
    private boolean readingFeedBody;
    /** The feed request being read, or read and waiting for SCIM's earlier answers. */
    private FeedRequest request;
    private boolean waitingForScim;
    private Exchange exchange;

    FeedHandler(Feed feed, ExecutorService blocking) {
        this.feed = feed;
        this.blocking = blocking;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject object)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (exchange instanceof ChangeStream) {
            // The stream never ends, so nothing sent after it can be answered.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (exchange != null || waitingForScim) {
            hold(ctx, object);
            return;
        }
        route(ctx, object);
    }

    private void route(ChannelHandlerContext ctx, HttpObject object) {
        if (object instanceof HttpRequest r && r.decoderResult().isSuccess() && FeedRequest.isFeed(r)) {
            request = FeedRequest.of(r);
            readingFeedBody = true;
        } else if (object instanceof HttpRequest) {
            scimInFlight++;
        }
        if (!readingFeedBody) {
            ctx.fireChannelRead(object);
            return;
        }
        boolean last = object instanceof LastHttpContent;
        boolean failed = object instanceof HttpContent c && c.decoderResult().isFailure();
        ReferenceCountUtil.release(object);
        if (failed) {
            ctx.close();
        } else if (last) {
            readingFeedBody = false;
            if (scimInFlight > 0) {
                waitingForScim = true;
            } else {
                dispatch(ctx);
            }
        }
    }

    private void hold(ChannelHandlerContext ctx, HttpObject object) {
        if (held.size() >= MAX_HELD) {
            ReferenceCountUtil.release(object);
            ctx.close();
            return;
        }
        held.add(object);
    }

    /** Counts SCIM's final responses, so a waiting feed request starts right after the last of them. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean informational = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (!informational && msg instanceof LastHttpContent && scimInFlight > 0) {
            scimInFlight--;
            if (scimInFlight == 0 && waitingForScim) {
                // After SCIM's handler has finished with this response (it may still touch auto-read).
                ctx.executor().execute(() -> {
                    if (waitingForScim && ctx.channel().isActive()) {
                        waitingForScim = false;
                        dispatch(ctx);
                    }
                });
            }
        }
        ctx.write(msg, promise);
    }

    private void dispatch(ChannelHandlerContext ctx) {
        FeedRequest r = request;
        request = null;
        if (feed.live().isEmpty()) {
            refuse(ctx, r, Refusal.of(HttpResponseStatus.NOT_FOUND, "the feed is off: no feed token is configured"));
            return;
        }
        Feed.Live live = feed.live().get();
        if (!r.path().equals(FeedRequest.SNAPSHOT) && !r.path().equals(FeedRequest.CHANGES)) {
            refuse(ctx, r, Refusal.of(HttpResponseStatus.NOT_FOUND,
                    "no feed endpoint at this path; try " + FeedRequest.SNAPSHOT + " or " + FeedRequest.CHANGES));
            return;
        }
        if (!HttpVersion.HTTP_1_1.equals(r.version())) {
            refuse(ctx, r.withoutKeepAlive(), Refusal.of(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    "the feed streams chunked responses: HTTP/1.1 is required"));
            return;
        }
        if (feed.draining()) {
            refuse(ctx, r, Refusal.unavailable("the receiver is shutting down; use another one", 1));
            return;
        }
        feed.track(ctx.channel());
        // Reads pause while the feed answers; a change stream reads again to notice the client leaving.
        ctx.channel().config().setAutoRead(false);
        if (r.path().equals(FeedRequest.SNAPSHOT)) {
            SnapshotResponse snapshot = new SnapshotResponse(ctx, this, feed, live, r);
            exchange = snapshot;
            snapshot.start(blocking);
        } else {
            ChangeStream stream = new ChangeStream(ctx, this, feed, live, r);
            exchange = stream;
            stream.start(blocking);
        }
    }

    /** Writes a refusal as the answer to {@code r} and moves on to the next request. */
    void refuse(ChannelHandlerContext ctx, FeedRequest r, Refusal refusal) {
        var written = ctx.writeAndFlush(refusal.toResponse(r.keepAlive()));
        finish(ctx, r.keepAlive(), written);
    }

    /** The exchange (or a refusal) has written its last byte: close, or serve what was held back. */
    void finish(ChannelHandlerContext ctx, boolean keepAlive, io.netty.channel.ChannelFuture written) {
        exchange = null;
        if (!keepAlive) {
            releaseHeld();
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        written.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        ctx.channel().config().setAutoRead(true);
        while (!held.isEmpty() && exchange == null && !waitingForScim) {
            route(ctx, held.poll());
        }
    }

    /** A change stream reads again once its 200 is out, so that a client closing is noticed at once. */
    void resumeReading(ChannelHandlerContext ctx) {
        releaseHeld();
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == Feed.DRAIN) {
            if (exchange != null) {
                exchange.drain();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.closed();
            exchange = null;
        }
        releaseHeld();
        ctx.fireChannelInactive();
    }

    private void releaseHeld() {
        HttpObject object;
        while ((object = held.poll()) != null) {
            ReferenceCountUtil.release(object);
        }
    }
}
