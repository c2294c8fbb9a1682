package io.scimitar.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener: a small HTTP/1.1 server for {@code /healthz}, {@code /readyz},
 * {@code /metrics} (Prometheus text) and {@code /explain}, on its own port and its own single
 * event loop so that scrapes and probes never share threads with live traffic.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final String host;
    private final int port;
    private final List<ReadinessCheck> checks;
    private final PrometheusMeterRegistry registry;
    private final Explainer explainer;
    private EventLoopGroup group;
    private Channel serverChannel;
    private boolean closed;

    /**
     * @param host the address to bind (e.g. {@code 127.0.0.1})
     * @param port the port, or 0 for any free one
     * @param checks every condition {@code /readyz} requires
     * @param registry the registry {@code /metrics} scrapes
     * @param explainer answers {@code /explain}
     */
    public AdminServer(String host, int port, List<ReadinessCheck> checks, PrometheusMeterRegistry registry,
            Explainer explainer) {
        this.host = Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("admin port must be 0..65535, got " + port);
        }
        this.port = port;
        this.checks = List.copyOf(checks);
        this.registry = Objects.requireNonNull(registry, "registry");
        this.explainer = Objects.requireNonNull(explainer, "explainer");
    }

    /** Binds and starts serving; returns this. */
    public synchronized AdminServer start() {
        if (serverChannel != null || closed) {
            throw new IllegalStateException("the admin listener was already started");
        }
        // One thread accepts and serves: admin traffic is a probe every few seconds and a scrape a minute.
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sidecar-admin"), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // A zero content limit: any request body is answered 413 by the aggregator.
                        ch.pipeline()
                                .addLast("http", new HttpServerCodec())
                                .addLast("aggregate", new HttpObjectAggregator(0))
                                .addLast("admin", new Handler());
                    }
                });
        try {
            serverChannel = bootstrap.bind(host, port).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw new IllegalStateException("cannot listen for admin requests on " + host + ":" + port, e);
        }
        LOG.atInfo().setMessage("admin listening").addKeyValue("event", "admin_started")
                .addKeyValue("address", serverChannel.localAddress()).log();
        return this;
    }

    /** The bound port: the configured one, or the one the system picked for port 0. */
    public synchronized int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("the admin listener is not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting and closes every admin connection. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!request.decoderResult().isSuccess()) {
                send(ctx, request, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), false);
                return;
            }
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            boolean known = switch (path) {
                case "/healthz", "/readyz", "/metrics", "/explain" -> true;
                default -> false;
            };
            if (!known) {
                send(ctx, request, text(HttpResponseStatus.NOT_FOUND, "not found\n"), true);
                return;
            }
            boolean head = request.method().equals(HttpMethod.HEAD);
            if (!head && !request.method().equals(HttpMethod.GET)) {
                FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n");
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
                send(ctx, request, response, true);
                return;
            }
            FullHttpResponse response = switch (path) {
                case "/healthz" -> text(HttpResponseStatus.OK, "ok\n");
                case "/readyz" -> readiness();
                case "/metrics" -> body(HttpResponseStatus.OK, PROMETHEUS_TEXT, registry.scrape());
                default -> explain(uri.parameters());
            };
            if (head) {
                response.content().clear();
            }
            send(ctx, request, response, true);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.atWarn().setMessage("admin request failed").addKeyValue("event", "admin_error")
                    .setCause(cause).log();
            ctx.close();
        }
    }

    private FullHttpResponse readiness() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode states = body.putObject("checks");
        boolean all = true;
        for (ReadinessCheck check : checks) {
            boolean ready;
            try {
                ready = check.ready();
            } catch (RuntimeException e) {
                LOG.atWarn().setMessage("readiness check failed").addKeyValue("event", "readiness_check_error")
                        .addKeyValue("check", check.name()).setCause(e).log();
                ready = false;
            }
            states.put(check.name(), ready);
            all &= ready;
        }
        body.put("ready", all);
        return json(all ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    }

    private FullHttpResponse explain(Map<String, List<String>> query) {
        String user = single(query, "user");
        String method = single(query, "method");
        String path = single(query, "path");
        if (user == null || method == null || path == null) {
            ObjectNode error = JSON.createObjectNode()
                    .put("error", "explain needs exactly one each of the query parameters user, method and path");
            return json(HttpResponseStatus.BAD_REQUEST, error);
        }
        return json(HttpResponseStatus.OK, explainer.explain(user, method, path));
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.size() != 1 || values.get(0).isEmpty() ? null : values.get(0);
    }

    private static FullHttpResponse json(HttpResponseStatus status, ObjectNode body) {
        String text;
        try {
            text = JSON.writeValueAsString(body) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an admin response", e);
        }
        return body(status, "application/json", text);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String text) {
        return body(status, "text/plain; charset=utf-8", text);
    }

    private static FullHttpResponse body(HttpResponseStatus status, String contentType, String text) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response,
            boolean keepAliveAllowed) {
        boolean keepAlive = keepAliveAllowed && HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var write = ctx.writeAndFlush(response);
        if (!keepAlive) {
            write.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
