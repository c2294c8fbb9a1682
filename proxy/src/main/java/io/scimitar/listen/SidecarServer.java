package io.scimitar.listen;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.scimitar.forward.UpstreamErrors;
import io.scimitar.forward.UpstreamPool;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's listener. The pipeline reads as the request travels: idle timeout ▸ HTTP/1.1 codec
 * (line and header bounds) ▸ flow control (one message per read while paused) ▸ gate (normalize the
 * path, check access) ▸ forwarder (stream to the app over pooled connections); HTTP/2 (h2c, or h2
 * over TLS through ALPN) runs the same gate and forwarder on each stream, see {@link ListenerPipeline}.
 * A WebSocket upgrade the app accepts turns an HTTP/1.1 connection into a byte tunnel; with
 * {@link LiveConnections}, tunnels and HTTP/2 connections are closed when their user is revoked.
 */
public final class SidecarServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SidecarServer.class);

    private final SidecarSettings settings;
    private final AccessCheck accessCheck;
    private final PathNormalizer normalizer;
    private final UpstreamPool pool;
    private final Optional<SslContext> tls;
    private final Optional<LiveConnections> live;
    private final Drain drain = new Drain();
    private final ChannelGroup connections = new DefaultChannelGroup("sidecar-connections", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private boolean closed;

    /** A listener whose WebSocket and HTTP/2 connections stay open until either end closes them. */
    public SidecarServer(SidecarSettings settings, AccessCheck accessCheck) {
        this(settings, accessCheck, Optional.empty(), UpstreamErrors.NONE);
    }

    /**
     * A listener that registers every upgraded WebSocket and every HTTP/2 connection's admitted
     * streams with {@code live}, which closes the connection when its user is revoked.
     */
    public SidecarServer(SidecarSettings settings, AccessCheck accessCheck, LiveConnections live) {
        this(settings, accessCheck, Optional.of(live), UpstreamErrors.NONE);
    }

    /** As {@link #SidecarServer(SidecarSettings, AccessCheck, LiveConnections)}, reporting failures talking to the app to {@code errors}. */
    public SidecarServer(SidecarSettings settings, AccessCheck accessCheck, LiveConnections live, UpstreamErrors errors) {
        this(settings, accessCheck, Optional.of(live), errors);
    }

    private SidecarServer(SidecarSettings settings, AccessCheck accessCheck, Optional<LiveConnections> live,
            UpstreamErrors errors) {
        this.live = live;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.accessCheck = Objects.requireNonNull(accessCheck, "accessCheck");
        this.normalizer = new PathNormalizer(settings.maxRequestTargetLength());
        this.pool = new UpstreamPool(settings.forward(), errors);
        this.tls = settings.tls().map(ListenerTls::newServerContext); // a bad certificate fails here, not per connection
    }

    /** Binds and returns once the listener accepts connections; fails if the address cannot be bound. */
    public synchronized SidecarServer start() {
        if (serverChannel != null || closed) {
            throw new IllegalStateException("the sidecar listener was already started");
        }
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sidecar-accept"),
                NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("sidecar-io"), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ListenerPipeline(settings, accessCheck, normalizer, pool, tls, drain, connections, live));
        try {
            serverChannel = bootstrap.bind(settings.host(), settings.port()).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            shutdownGroups();
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port(), e);
        }
        LOG.atInfo().setMessage("sidecar listening").addKeyValue("event", "sidecar_started")
                .addKeyValue("address", serverChannel.localAddress())
                .addKeyValue("protocols", tls.isPresent() ? "h2,http/1.1 over TLS" : settings.h2c() ? "h2c,http/1.1" : "http/1.1")
                .addKeyValue("upstream", settings.forward().host() + ":" + settings.forward().port()).log();
        return this;
    }

    /** The bound port: the configured one, or the one the system picked for port 0. */
    public int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("the sidecar listener is not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** How many connections to the app were opened so far (keep-alive reuse keeps this low). */
    public long upstreamConnectionsOpened() {
        return pool.connectionsOpened();
    }

    /**
     * SIGTERM's first step: stops accepting connections, answers new requests on open ones with 503
     * and waits, up to {@code timeout}, for the exchanges in flight to finish; then {@link #close()}
     * cuts whatever is left. Returns how many exchanges were still in flight when it gave up (0 when
     * everything finished).
     */
    public int drain(Duration timeout) {
        synchronized (this) {
            if (serverChannel == null || closed) {
                return 0;
            }
            serverChannel.close().syncUninterruptibly();
        }
        CompletableFuture<Void> idle = drain.start();
        // HTTP/2 clients are told to open no new streams (RFC 9113 §6.8); streams in flight go on.
        for (Channel connection : connections) {
            if (connection.pipeline().get(Http2FrameCodec.class) != null) {
                connection.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
            }
        }
        LOG.atInfo().setMessage("draining").addKeyValue("event", "sidecar_draining")
                .addKeyValue("in_flight", drain.inFlight()).addKeyValue("timeout_ms", timeout.toMillis()).log();
        try {
            idle.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return 0;
        } catch (TimeoutException e) {
            int left = drain.inFlight();
            LOG.atWarn().setMessage("drain timed out").addKeyValue("event", "sidecar_drain_timeout")
                    .addKeyValue("in_flight", left).log();
            return left;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return drain.inFlight();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the drain future cannot fail", e);
        }
    }

    /** Exchanges admitted and not yet fully answered, on every connection and stream. */
    int inFlight() {
        return drain.inFlight();
    }

    /** Whether {@link #drain} has begun: readiness turns false so the load balancer stops sending. */
    public boolean draining() {
        return drain.draining();
    }

    /** Stops accepting and closes every connection at once; {@link #drain} first lets in-flight requests finish. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        connections.close().awaitUninterruptibly();
        shutdownGroups();
        LOG.atInfo().setMessage("sidecar stopped").addKeyValue("event", "sidecar_stopped").log();
    }

    private void shutdownGroups() {
        for (EventLoopGroup group : new EventLoopGroup[] {workers, acceptor}) {
            if (group != null) {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
            }
        }
    }
}
