package io.scimitar.listen;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.scimitar.forward.ForwardingHandler;
import io.scimitar.forward.UpstreamPool;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's HTTP/1.1 listener. The pipeline reads as the request travels: idle timeout ▸
 * HTTP/1.1 codec (line and header bounds) ▸ flow control (one message per read while paused) ▸
 * gate (normalize the path, check access) ▸ forwarder (stream to the app over pooled connections).
 */
public final class SidecarServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SidecarServer.class);
    /** Room on the request line for the method, the version and the spaces around the target. */
    private static final int REQUEST_LINE_OVERHEAD = 64;

    private final SidecarSettings settings;
    private final AccessCheck accessCheck;
    private final PathNormalizer normalizer;
    private final UpstreamPool pool;
    private final Drain drain = new Drain();
    private final ChannelGroup connections = new DefaultChannelGroup("sidecar-connections", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private boolean closed;

    public SidecarServer(SidecarSettings settings, AccessCheck accessCheck) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.accessCheck = Objects.requireNonNull(accessCheck, "accessCheck");
        this.normalizer = new PathNormalizer(settings.maxRequestTargetLength());
        this.pool = new UpstreamPool(settings.forward());
    }

    /** Binds and returns once the listener accepts connections; fails if the address cannot be bound. */
    public synchronized SidecarServer start() {
        if (serverChannel != null || closed) {
            throw new IllegalStateException("the sidecar listener was already started");
        }
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sidecar-accept"),
                NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("sidecar-io"), NioIoHandler.newFactory());
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxRequestTargetLength() + REQUEST_LINE_OVERHEAD)
                .setMaxHeaderSize(settings.maxHeaderSize());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0,
                                        settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast("http", new HttpServerCodec(decoder))
                                .addLast("flow", new FlowControlHandler())
                                .addLast("gate", new RequestGate(normalizer, accessCheck, drain))
                                .addLast("forward", new ForwardingHandler(pool, settings.forward()));
                    }
                });
        try {
            serverChannel = bootstrap.bind(settings.host(), settings.port()).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            shutdownGroups();
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port(), e);
        }
        LOG.atInfo().setMessage("sidecar listening").addKeyValue("event", "sidecar_started")
                .addKeyValue("address", serverChannel.localAddress())
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
        LOG.atInfo().setMessage("draining").addKeyValue("event", "sidecar_draining")
                .addKeyValue("in_flight", drain.inFlight()).addKeyValue("timeout_ms", timeout.toMillis()).log();
        try {
            drain.start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
