package io.scimitar.forward;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Streams one client connection's admitted requests to the app and the app's responses back, one
 * exchange at a time, without aggregating either body. Backpressure is autoRead on the side that
 * produces: the client connection stops reading while the app's connection is not writable, and
 * the other way round. Also reads stop from the end of a request until its response is complete,
 * so pipelined requests wait their turn (a {@code FlowControlHandler} upstream in the pipeline
 * holds what was already decoded).
 *
 * <p>A WebSocket handshake (RFC 6455 §4.1) goes to the app on a connection of its own with its
 * {@code Upgrade} kept. If the app answers 101, the 101 goes to the client, the pipeline hears
 * {@link ProtocolSwitched}, and both connections become a {@link Tunnel}; any other answer is
 * forwarded as usual and that upstream connection is closed.
 */
public final class ForwardingHandler extends ChannelInboundHandlerAdapter {

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");

    private final UpstreamPool pool;
    private final ForwardSettings settings;
    private final ArrayDeque<HttpObject> pending = new ArrayDeque<>(4);

    private ChannelHandlerContext ctx;
    private String clientScheme;     // X-Forwarded-Proto when the client's proxy did not set one
    private Channel upstream;
    private boolean active;          // an exchange is in progress
    private boolean discarding;      // the exchange failed; the rest of its request body is dropped
    private boolean clientKeepAlive;
    private boolean upstreamKeepAlive;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean informational;   // a 1xx response was forwarded; its empty last content is not the end
    private boolean headRequest;
    private boolean upgrade;         // a WebSocket handshake: Upgrade kept, own upstream connection
    private HttpRequest retryable;   // the head of a bodyless idempotent request, kept to send it again
    private boolean reusedUpstream;  // the connection came from the pool: the app may close it as we send
    private long bodyBytes;
    private ScheduledFuture<?> headerTimeout;

    public ForwardingHandler(UpstreamPool pool, ForwardSettings settings) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        // An HTTP/2 stream's channel is a child: TLS, if any, is on its parent, the connection.
        Channel channel = context.channel();
        boolean tls = channel.pipeline().get(SslHandler.class) != null
                || channel.parent() != null && channel.parent().pipeline().get(SslHandler.class) != null;
        this.clientScheme = tls ? "https" : "http";
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (msg instanceof AdmittedRequest admitted) {
            start(admitted);
        } else if (msg instanceof HttpContent content) {
            onRequestContent(content);
        } else {
            context.fireChannelRead(msg);
        }
    }

    private void start(AdmittedRequest admitted) {
        HttpRequest request = admitted.request();
        active = true;
        discarding = false;
        responseStarted = false;
        informational = false;
        upstreamKeepAlive = false;
        bodyBytes = 0;
        clientKeepAlive = HttpUtil.isKeepAlive(request);
        headRequest = HttpMethod.HEAD.equals(request.method());
        // Only an HTTP/1.1 connection can become a tunnel; an HTTP/2 stream's codec rejects the headers anyway (RFC 9113 §8.2.2).
        upgrade = isWebSocketHandshake(request) && ctx.pipeline().get(HttpServerCodec.class) != null;
        requestDone = request instanceof LastHttpContent;
        ctx.channel().config().setAutoRead(false);

        if (HttpUtil.getContentLength(request, -1L) > settings.maxBodyBytes()) {
            ReferenceCountUtil.release(request);
            fail(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        rewrite(request, admitted);
        retryable = !upgrade && isRetryable(request) ? request : null;
        pending.add(request);
        EventLoop loop = ctx.channel().eventLoop();
        (upgrade ? pool.connect(loop) : pool.acquire(loop)).addListener((Future<Channel> f) -> connected(f));
    }

    /**
     * An idempotent request without a body (RFC 9110 §9.2.2): if a reused keep-alive connection
     * turns out closed before the app answered, it can be sent again on a new one, as HAProxy and
     * Envoy do. Apps close idle connections on their own keep-alive timeout (Node's is 5 s), so
     * without this a request that races such a close would get a 502 it never deserved.
     */
    private static boolean isRetryable(HttpRequest request) {
        HttpMethod method = request.method();
        boolean idempotent = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)
                || HttpMethod.OPTIONS.equals(method) || HttpMethod.PUT.equals(method)
                || HttpMethod.DELETE.equals(method) || HttpMethod.TRACE.equals(method);
        return idempotent && !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0
                && !(request instanceof HttpContent content && content.content().isReadable());
    }

    /**
     * A GET asking {@code Connection: upgrade} to {@code websocket} (RFC 6455 §4.1) with no body: any
     * other Upgrade (h2c among them), or one on a request with a body, goes on as a plain request.
     */
    private static boolean isWebSocketHandshake(HttpRequest request) {
        HttpHeaders headers = request.headers();
        return HttpMethod.GET.equals(request.method())
                && HttpVersion.HTTP_1_1.equals(request.protocolVersion())
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)
                && !headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
    }

    /** RFC 9110 §7.6: what the app must see, and what it must never believe from the client. */
    private void rewrite(HttpRequest request, AdmittedRequest admitted) {
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        HttpHeaders headers = request.headers();
        if (upgrade) {
            HopByHop.removeKeepingUpgrade(headers);
        } else {
            HopByHop.remove(headers);
        }
        HopByHop.removeScimitarHeaders(headers);
        admitted.identity().writeTo(headers);
        String client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        String forwardedFor = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, forwardedFor == null ? client : forwardedFor + ", " + client);
        // Behind the ALB these arrive set by it (the listener is reachable only from the ALB); kept.
        if (!headers.contains(X_FORWARDED_PROTO)) {
            headers.set(X_FORWARDED_PROTO, clientScheme);
        }
        String host = headers.get(HttpHeaderNames.HOST);
        if (!headers.contains(X_FORWARDED_HOST) && host != null) {
            headers.set(X_FORWARDED_HOST, host);
        }
        if (chunked) {
            HttpUtil.setTransferEncodingChunked(request, true);
        }
        request.setUri(admitted.target());
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    private void connected(Future<Channel> connect) {
        if (!active || !ctx.channel().isActive()) {
            if (connect.isSuccess()) {
                pool.release(connect.getNow());
            }
            return;
        }
        if (!connect.isSuccess()) {
            pool.errors().record(UpstreamErrors.CONNECT);
            fail(HttpResponseStatus.BAD_GATEWAY);
            return;
        }
        upstream = connect.getNow();
        UpstreamHandler handler = upstream.pipeline().get(UpstreamHandler.class);
        handler.attach(this);
        reusedUpstream = handler.reused();
        HttpObject next;
        while ((next = pending.poll()) != null) {
            upstream.write(next, upstream.voidPromise());
        }
        upstream.flush();
        headerTimeout = ctx.channel().eventLoop().schedule(() -> {
            if (active && !responseStarted) {
                pool.errors().record(UpstreamErrors.TIMEOUT);
                fail(HttpResponseStatus.GATEWAY_TIMEOUT);
            }
        }, settings.responseHeaderTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!requestDone && upstream.isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void onRequestContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (!active || discarding) {
            content.release();
            if (last && discarding) {
                discarding = false;
                active = false;
            }
            return;
        }
        bodyBytes += content.content().readableBytes();
        if (bodyBytes > settings.maxBodyBytes()) {
            content.release();
            if (responseStarted) {
                abort();
            } else {
                fail(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
            }
            return;
        }
        if (last) {
            requestDone = true;
            ctx.channel().config().setAutoRead(false);
        }
        if (upstream == null) {
            pending.add(content);
        } else {
            upstream.writeAndFlush(content, upstream.voidPromise());
            if (!upstream.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    /** Called by the upstream connection with each part of the app's response. */
    void onUpstream(HttpObject msg) {
        if (msg instanceof HttpResponse response) {
            onResponseHead(response);
        }
        if (msg instanceof HttpContent content) {
            if (informational) {
                informational = false;
                content.release();
                return;
            }
            boolean last = content instanceof LastHttpContent;
            ctx.write(content, ctx.voidPromise());
            if (last) {
                finish();
            } else if (!ctx.channel().isWritable()) {
                upstream.config().setAutoRead(false);
            }
        }
    }

    private void onResponseHead(HttpResponse response) {
        int code = response.status().code();
        if (code == 101) {
            switchProtocols(response);
            return;
        }
        if (code >= 100 && code < 200) {
            // 100 Continue and 103 Early Hints go to the client as they are; the final response follows.
            informational = true;
            var interim = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), Unpooled.EMPTY_BUFFER);
            interim.headers().set(response.headers());
            HopByHop.remove(interim.headers());
            ctx.writeAndFlush(interim, ctx.voidPromise());
            return;
        }
        cancelTimeout();
        responseStarted = true;
        upstreamKeepAlive = !upgrade && HttpUtil.isKeepAlive(response);
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        HttpHeaders headers = response.headers();
        HopByHop.remove(headers);
        boolean bodyless = headRequest || code == 204 || code == 304;
        if (chunked || !bodyless && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            // A close-delimited body from the app is re-framed as chunked so the client connection survives.
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        HttpUtil.setKeepAlive(response, clientKeepAlive);
        ctx.write(response, ctx.voidPromise());
    }

    /**
     * The app switched protocols. Only to the WebSocket the client asked for (RFC 9110 §15.2.2: a
     * server must not switch to a protocol the request did not name); anything else is a 502.
     */
    private void switchProtocols(HttpResponse response) {
        HttpHeaders headers = response.headers();
        if (!upgrade || !headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            pool.errors().record(UpstreamErrors.BAD_UPGRADE);
            fail(HttpResponseStatus.BAD_GATEWAY);
            return;
        }
        cancelTimeout();
        Channel app = upstream;
        upstream = null;
        active = false;
        app.pipeline().get(UpstreamHandler.class).detach();
        HopByHop.removeKeepingUpgrade(headers);
        var switched = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), Unpooled.EMPTY_BUFFER);
        switched.headers().set(headers);
        ctx.writeAndFlush(switched, ctx.voidPromise());
        ctx.pipeline().fireUserEventTriggered(new ProtocolSwitched(HttpHeaderValues.WEBSOCKET.toString()));
        Tunnel.splice(ctx.pipeline(), app);
    }

    void onUpstreamReadComplete() {
        ctx.flush();
    }

    void onUpstreamWritabilityChanged(boolean writable) {
        if (active && !requestDone) {
            ctx.channel().config().setAutoRead(writable);
        }
    }

    void onUpstreamClosed() {
        if (!active || upstream == null) {
            return;
        }
        upstream = null;
        if (responseStarted) {
            pool.errors().record(UpstreamErrors.RESET_MID_RESPONSE);
            abort(); // the client has a truncated response: only closing tells it so
        } else if (reusedUpstream && retryable != null) {
            retryOnNewConnection();
        } else {
            pool.errors().record(UpstreamErrors.RESET);
            fail(HttpResponseStatus.BAD_GATEWAY);
        }
    }

    /**
     * Sends the kept request again, once, on a connection that is new (so it cannot be stale): the
     * app closed the reused one before any of its response arrived.
     */
    private void retryOnNewConnection() {
        pool.errors().record(UpstreamErrors.STALE_CONNECTION_RETRIED);
        cancelTimeout();
        HttpRequest head = retryable;
        retryable = null;
        // A full request was released when it was written; its head and empty body are written again.
        pending.addFirst(head instanceof FullHttpRequest full ? full.replace(Unpooled.EMPTY_BUFFER) : head);
        if (requestDone && !(head instanceof LastHttpContent)) {
            pending.add(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        pool.connect(ctx.channel().eventLoop()).addListener((Future<Channel> f) -> connected(f));
    }

    /** The response is complete: the upstream connection goes back to the pool if both sides ended cleanly. */
    private void finish() {
        cancelTimeout();
        retryable = null;
        Channel finished = upstream;
        upstream = null;
        finished.pipeline().get(UpstreamHandler.class).detach();
        if (requestDone && upstreamKeepAlive) {
            pool.release(finished);
        } else {
            finished.close();
        }
        active = false;
        ctx.flush();
        if (requestDone || !clientKeepAlive) {
            resumeOrClose();
        } else {
            // The app answered before the body ended: read and drop the rest, then take the next request.
            discarding = true;
            active = true;
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void resumeOrClose() {
        if (clientKeepAlive) {
            ctx.channel().config().setAutoRead(true);
        } else {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Answers the exchange locally. The client connection stays open, dropping the rest of the
     * request body, unless the body itself was the problem (413): that one is not read further.
     */
    private void fail(HttpResponseStatus status) {
        cancelTimeout();
        dropUpstream();
        releasePending();
        boolean keepAlive = clientKeepAlive && (requestDone || status != HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        discarding = keepAlive && !requestDone;
        active = discarding;
        var written = ctx.writeAndFlush(LocalResponse.of(status, keepAlive));
        if (keepAlive) {
            ctx.channel().config().setAutoRead(true);
        } else {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void abort() {
        cancelTimeout();
        dropUpstream();
        releasePending();
        active = false;
        ctx.close();
    }

    private void dropUpstream() {
        Channel dropped = upstream;
        upstream = null;
        if (dropped != null) {
            dropped.pipeline().get(UpstreamHandler.class).detach();
            dropped.close();
        }
    }

    private void releasePending() {
        HttpObject next;
        while ((next = pending.poll()) != null) {
            ReferenceCountUtil.release(next);
        }
    }

    private void cancelTimeout() {
        if (headerTimeout != null) {
            headerTimeout.cancel(false);
            headerTimeout = null;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (upstream != null) {
            upstream.config().setAutoRead(context.channel().isWritable());
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent) {
            if (!active) {
                context.close();
            }
        } else {
            context.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        cancelTimeout();
        dropUpstream();
        releasePending();
        active = false;
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }
}
