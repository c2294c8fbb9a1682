package io.scimitar.scim.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.scimitar.scim.error.ScimException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-connection end of the pipeline: copies each aggregated request out of Netty's buffers,
 * runs it through the {@link ScimRouter} on the blocking executor, and writes the response back
 * on the channel's event loop. One request per connection is in flight at a time (reads pause
 * meanwhile), so pipelined requests are answered in order. Keep-alive is decided here, since
 * this handler writes every response of a well-formed request.
 */
final class ScimHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** Fired by {@link ScimServer#close()}: finish the request in flight, then close. */
    static final Object DRAIN = new Object();

    private static final Logger LOG = LoggerFactory.getLogger(ScimHttpHandler.class);
    /** Requests decoded from one read while another is in flight; more than this is abuse. */
    private static final int MAX_QUEUED = 16;
    /** A Host header we are willing to copy into meta.location: a name or IP literal and a port. */
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?");

    private final ScimServerSettings settings;
    private final ScimRouter router;
    private final ExecutorService blocking;
    private final AtomicBoolean draining;
    private final ArrayDeque<Exchange> queued = new ArrayDeque<>();
    private Exchange current;

    ScimHttpHandler(ScimServerSettings settings, ScimRouter router, ExecutorService blocking, AtomicBoolean draining) {
        this.settings = settings;
        this.router = router;
        this.blocking = blocking;
        this.draining = draining;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        Exchange exchange = prepare(ctx, request);
        if (current != null) {
            if (queued.size() >= MAX_QUEUED) {
                ctx.close();
                return;
            }
            queued.add(exchange);
            return;
        }
        start(ctx, exchange);
    }

    /** Everything the exchange needs, copied now: the request buffer is released when this returns. */
    private Exchange prepare(ChannelHandlerContext ctx, FullHttpRequest request) {
        long startNanos = System.nanoTime();
        String requestId = RequestIds.next();
        String uri = request.uri();
        int queryStart = uri.indexOf('?');
        String path = queryStart >= 0 ? uri.substring(0, queryStart) : uri;
        String method = request.method().name();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = HttpMethod.HEAD.equals(request.method());
        if (request.decoderResult().isFailure()) {
            return new Exchange(requestId, method, path, startNanos, false, false, Optional.empty(),
                    Optional.of(malformed(request.decoderResult().cause())));
        }
        if (request.protocolVersion().majorVersion() != 1) {
            // Netty parses any HTTP/x.y; only HTTP/1.0 and 1.1 are spoken here (RFC 9110 §15.6.6).
            return new Exchange(requestId, method, path, startNanos, false, false, Optional.empty(),
                    Optional.of(ScimResponse.error(505, Optional.empty(), "only HTTP/1.1 is supported").closing()));
        }
        Map<String, List<String>> query;
        try {
            query = new QueryStringDecoder(uri).parameters();
        } catch (IllegalArgumentException e) {
            return new Exchange(requestId, method, path, startNanos, keepAlive, head, Optional.empty(),
                    Optional.of(ScimResponse.error(ScimException.status(400,
                            "the query string is not correctly percent-encoded"))));
        }
        ScimRequest scimRequest = new ScimRequest(requestId, request.method(), path, query,
                request.headers().copy(), ByteBufUtil.getBytes(request.content()), baseUrl(ctx, request));
        return new Exchange(requestId, method, path, startNanos, keepAlive, head, Optional.of(scimRequest),
                Optional.empty());
    }

    private void start(ChannelHandlerContext ctx, Exchange exchange) {
        current = exchange;
        if (exchange.immediate.isPresent()) {
            finish(ctx, exchange, exchange.immediate.get());
            return;
        }
        ScimRequest request = exchange.request.orElseThrow();
        // No more reads until this one is answered: backpressure, and responses in request order.
        ctx.channel().config().setAutoRead(false);
        try {
            exchange.work = blocking.submit(() -> {
                ScimResponse response = router.handle(request);
                try {
                    ctx.executor().execute(() -> finish(ctx, exchange, response));
                } catch (RejectedExecutionException e) {
                    LOG.atDebug().setMessage("response dropped: the event loop stopped")
                            .addKeyValue("event", "scim_response_dropped")
                            .addKeyValue("request_id", request.requestId()).log();
                }
            });
        } catch (RejectedExecutionException e) {
            finish(ctx, exchange, ScimResponse.error(503, Optional.empty(), "the server is busy; retry shortly")
                    .withHeader(HttpHeaderNames.RETRY_AFTER.toString(), "1"));
            return;
        }
        exchange.timeout = ctx.executor().schedule(() -> {
            // The service call may still commit; the client learns only that we did not answer in time.
            exchange.work.cancel(true);
            finish(ctx, exchange, ScimResponse.error(503, Optional.empty(),
                            "the request did not complete in time; retry it")
                    .withHeader(HttpHeaderNames.RETRY_AFTER.toString(), "1"));
        }, settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void finish(ChannelHandlerContext ctx, Exchange exchange, ScimResponse response) {
        if (exchange.done || current != exchange) {
            return;
        }
        exchange.done = true;
        if (exchange.timeout != null) {
            exchange.timeout.cancel(false);
        }
        current = null;
        boolean close = response.close() || !exchange.keepAlive || draining.get();
        AccessLog.log(exchange.requestId, exchange.method, exchange.path, response.status(), exchange.startNanos);
        ChannelFuture written = ctx.writeAndFlush(
                NettyResponses.toNetty(response, exchange.requestId, exchange.head, close, exchange.keepAlive));
        if (close) {
            queued.clear();
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        written.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        Exchange next = queued.poll();
        if (next != null) {
            start(ctx, next);
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** The decoder could not parse the request; the connection cannot continue, so answer and close. */
    private static ScimResponse malformed(Throwable cause) {
        ScimResponse response;
        if (cause instanceof TooLongHttpLineException) {
            response = ScimResponse.error(414, Optional.empty(), "the request line is too long");
        } else if (cause instanceof TooLongHttpHeaderException) {
            response = ScimResponse.error(431, Optional.empty(), "the request headers are too large");
        } else if (cause instanceof TooLongFrameException) {
            response = ScimResponse.error(413, Optional.empty(), "the request is too large");
        } else {
            response = ScimResponse.error(400, Optional.empty(), "malformed HTTP request");
        }
        return response.closing();
    }

    /** The configured public base URL, else {@code http://} + the Host header (or our own address) + base path. */
    private String baseUrl(ChannelHandlerContext ctx, FullHttpRequest request) {
        Optional<String> configured = settings.publicBase();
        if (configured.isPresent()) {
            return configured.get();
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null || !HOST.matcher(host).matches()) {
            host = localAuthority(ctx.channel().localAddress());
        }
        return "http://" + host + settings.basePath();
    }

    private static String localAuthority(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String literal = inet.getAddress().getHostAddress();
            if (literal.contains(":")) {
                int zone = literal.indexOf('%');
                literal = "[" + (zone >= 0 ? literal.substring(0, zone) : literal) + "]";
            }
            return literal + ":" + inet.getPort();
        }
        return "localhost";
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent || event == DRAIN) {
            if (current == null) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // A service call in flight is left to finish: interrupting JDBC mid-commit helps no one.
        if (current != null && current.timeout != null) {
            current.timeout.cancel(false);
        }
        queued.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.atDebug().setMessage("connection error").addKeyValue("event", "scim_connection_error")
                    .addKeyValue("remote", ctx.channel().remoteAddress()).addKeyValue("error", cause.toString()).log();
        } else {
            LOG.atWarn().setMessage("connection error").addKeyValue("event", "scim_connection_error")
                    .addKeyValue("remote", ctx.channel().remoteAddress()).setCause(cause).log();
        }
        ctx.close();
    }

    /** One request on its way through: event-loop state only. */
    private static final class Exchange {
        final String requestId;
        final String method;
        final String path;
        final long startNanos;
        final boolean keepAlive;
        final boolean head;
        final Optional<ScimRequest> request;
        final Optional<ScimResponse> immediate;
        Future<?> work;
        io.netty.util.concurrent.Future<?> timeout;
        boolean done;

        Exchange(String requestId, String method, String path, long startNanos, boolean keepAlive, boolean head,
                Optional<ScimRequest> request, Optional<ScimResponse> immediate) {
            this.requestId = requestId;
            this.method = method;
            this.path = path;
            this.startNanos = startNanos;
            this.keepAlive = keepAlive;
            this.head = head;
            this.request = request;
            this.immediate = immediate;
        }
    }
}
