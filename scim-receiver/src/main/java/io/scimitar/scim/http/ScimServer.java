package io.scimitar.scim.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.scimitar.scim.service.ScimService;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCIM 2.0 HTTP server (RFC 7644) on Netty. The pipeline reads as the request travels:
 * idle timeout ▸ HTTP/1.1 codec (line and header limits) ▸ body limit (413) ▸ SCIM handler,
 * which runs the blocking {@link ScimService} on its own executor and answers on the event loop.
 */
public final class ScimServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScimServer.class);
    /** Requests that may wait for a blocking thread, per thread, before new ones get 503. */
    private static final int QUEUE_PER_THREAD = 64;

    /**
     * Endpoints served on this listener beside SCIM (the feed): a handler per connection, placed
     * after the HTTP codec, that answers its own requests and passes every other one on to SCIM.
     */
    public interface Mount {

        /** The handler for a new connection; {@code blocking} is the server's pool for blocking work. */
        ChannelHandler newHandler(ExecutorService blocking);

        /** The server is closing: end the long-lived responses, so that their connections close. */
        void drain();
    }

    private final ScimServerSettings settings;
    private final ScimRouter router;
    private final Optional<Mount> mount;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ChannelGroup connections = new DefaultChannelGroup("scim-connections", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private ExecutorService blocking;
    private Channel serverChannel;

    public ScimServer(ScimServerSettings settings, ScimService service) {
        this(settings, service, Optional.empty());
    }

    /** A server that also serves {@code mount}'s endpoints (the feed) on its port. */
    public ScimServer(ScimServerSettings settings, ScimService service, Mount mount) {
        this(settings, service, Optional.of(mount));
    }

    private ScimServer(ScimServerSettings settings, ScimService service, Optional<Mount> mount) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.router = new ScimRouter(settings, Objects.requireNonNull(service, "service"));
        this.mount = mount;
    }

    /** Binds and returns once the server accepts connections; fails if the address cannot be bound. */
    public synchronized ScimServer start() {
        if (serverChannel != null || closed.get()) {
            throw new IllegalStateException("the SCIM server was already started");
        }
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("scim-accept"),
                NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("scim-io"), NioIoHandler.newFactory());
        int threads = settings.blockingThreads();
        blocking = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD), new DefaultThreadFactory("scim-blocking", true));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        HttpDecoderConfig decoder = new HttpDecoderConfig()
                                .setMaxInitialLineLength(settings.maxInitialLineLength())
                                .setMaxHeaderSize(settings.maxHeaderSize());
                        ChannelPipeline pipeline = ch.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0,
                                        settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast("http", new HttpServerCodec(decoder));
                        mount.ifPresent(m -> pipeline.addLast("mount", m.newHandler(blocking)));
                        pipeline.addLast("body-limit", new BodyLimitAggregator(settings.maxBodyBytes()))
                                .addLast("scim", new ScimHttpHandler(settings, router, blocking, draining));
                    }
                });
        try {
            serverChannel = bootstrap.bind(settings.host(), settings.port()).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared, so RuntimeException misses it
            shutdownExecutors(Duration.ZERO);
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port(), e);
        }
        LOG.atInfo().setMessage("SCIM server started").addKeyValue("event", "scim_server_started")
                .addKeyValue("address", serverChannel.localAddress()).addKeyValue("base_path", settings.basePath()).log();
        return this;
    }

    /** The bound port: the configured one, or the one the system picked for port 0. */
    public int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("the SCIM server is not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Stops accepting, lets each connection finish the request it is serving (up to the request
     * timeout), closes idle connections, then stops the threads.
     */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        draining.set(true);
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            mount.ifPresent(Mount::drain);
            connections.forEach(ch -> ch.pipeline().fireUserEventTriggered(ScimHttpHandler.DRAIN));
            Duration grace = settings.requestTimeout().plusSeconds(1);
            if (!connections.newCloseFuture().awaitUninterruptibly(grace.toMillis())) {
                LOG.atWarn().setMessage("connections still open after the drain time")
                        .addKeyValue("event", "scim_server_drain_timeout")
                        .addKeyValue("open_connections", connections.size()).log();
            }
            connections.close().awaitUninterruptibly(grace.toMillis());
        }
        shutdownExecutors(Duration.ofSeconds(5));
        LOG.atInfo().setMessage("SCIM server stopped").addKeyValue("event", "scim_server_stopped").log();
    }

    private void shutdownExecutors(Duration wait) {
        if (blocking != null) {
            blocking.shutdown();
            try {
                if (!blocking.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    blocking.shutdownNow();
                }
            } catch (InterruptedException e) {
                blocking.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        for (EventLoopGroup group : new EventLoopGroup[] {workers, acceptor}) {
            if (group != null) {
                group.shutdownGracefully(0, Math.max(1, wait.toSeconds()), TimeUnit.SECONDS).awaitUninterruptibly();
            }
        }
    }
}
