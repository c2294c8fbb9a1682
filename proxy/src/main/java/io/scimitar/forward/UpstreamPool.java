package io.scimitar.forward;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keep-alive connections to the app, pooled per event loop: a client connection and its upstream
 * connection share one thread, so an exchange never crosses threads and the pool needs no lock.
 * Every method must be called on the event loop it is given or that owns the channel.
 */
public final class UpstreamPool {

    private final ForwardSettings settings;
    private final UpstreamErrors errors;
    private final Bootstrap bootstrap;
    private final LongAdder opened = new LongAdder();
    private final FastThreadLocal<ArrayDeque<Channel>> idle = new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<Channel> initialValue() {
            return new ArrayDeque<>();
        }
    };

    public UpstreamPool(ForwardSettings settings) {
        this(settings, UpstreamErrors.NONE);
    }

    /** A pool whose exchanges report their failures to {@code errors}. */
    public UpstreamPool(ForwardSettings settings, UpstreamErrors errors) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.bootstrap = new Bootstrap()
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(settings.connectTimeout().toMillis()))
                .remoteAddress(settings.host(), settings.port())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0,
                                        settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast("http", new HttpClientCodec())
                                .addLast("upstream", new UpstreamHandler(UpstreamPool.this));
                    }
                });
    }

    /** An idle connection of this loop, most recently used first (the likeliest to be alive), or a new one. */
    Future<Channel> acquire(EventLoop loop) {
        ArrayDeque<Channel> connections = idle.get();
        Channel channel;
        while ((channel = connections.pollLast()) != null) {
            if (channel.isActive()) {
                return loop.newSucceededFuture(channel);
            }
        }
        return connect(loop);
    }

    /**
     * A new connection on {@code loop}, never an idle one: for an upgrade, which keeps its connection
     * for good, and which an idle connection the app is just closing on its keep-alive timeout would fail.
     */
    Future<Channel> connect(EventLoop loop) {
        Promise<Channel> promise = loop.newPromise();
        opened.increment();
        bootstrap.clone(loop).connect().addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                promise.setSuccess(f.channel());
            } else {
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    /** Returns a connection whose last exchange completed cleanly; beyond the idle bound it is closed. */
    void release(Channel channel) {
        ArrayDeque<Channel> connections = idle.get();
        if (channel.isActive() && connections.size() < settings.maxIdlePerLoop()) {
            channel.config().setAutoRead(true);
            connections.addLast(channel);
        } else {
            channel.close();
        }
    }

    /** Forgets a connection that closed or misbehaved while idle. */
    void evict(Channel channel) {
        idle.get().remove(channel);
        channel.close();
    }

    UpstreamErrors errors() {
        return errors;
    }

    /** How many connections to the app were opened so far, over all loops. */
    public long connectionsOpened() {
        return opened.sum();
    }
}
