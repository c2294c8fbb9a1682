package io.scimitar.scim.feed;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many change streams held open against one receiver by a Netty client on two event loops, each
 * followed from version 0: for the feed's many-followers test and the benchmark of the same. A
 * stream is live once its first heartbeat arrives; {@link #expect} counts the streams a version reaches.
 */
public final class FeedStreams implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<Channel> channels = new ArrayList<>();
    private final CountDownLatch live;
    private volatile Round round = new Round(-1, new CountDownLatch(0));
    private final AtomicLong lastArrival = new AtomicLong();

    private FeedStreams(int count) {
        live = new CountDownLatch(count);
    }

    /** Opens {@code count} streams to the receiver's feed on loopback {@code port}, authorized by {@code feedToken}. */
    public static FeedStreams open(int port, String feedToken, int count) {
        FeedStreams streams = new FeedStreams(count);
        try {
            Bootstrap bootstrap = new Bootstrap().group(streams.group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec()).addLast(streams.new Follower());
                        }
                    });
            for (int i = 0; i < count; i++) {
                Channel channel = bootstrap.connect("127.0.0.1", port).syncUninterruptibly().channel();
                DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                        "/feed/v1/changes?after=0");
                request.headers().set(HttpHeaderNames.HOST, "127.0.0.1")
                        .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + feedToken);
                channel.writeAndFlush(request);
                streams.channels.add(channel);
            }
            return streams;
        } catch (RuntimeException e) {
            streams.close();
            throw e;
        }
    }

    /** Waits up to {@code seconds} for every stream's first heartbeat; false if some never came. */
    public boolean awaitLive(long seconds) throws InterruptedException {
        return live.await(seconds, TimeUnit.SECONDS);
    }

    /** How many streams have not had their first heartbeat yet. */
    public long notLive() {
        return live.getCount();
    }

    /**
     * From now on, counts down once for each stream the change with {@code version} reaches; call
     * before making the change. {@link #lastArrival()} then tells when the last of them got it.
     */
    public CountDownLatch expect(long version) {
        lastArrival.set(0);
        Round next = new Round(version, new CountDownLatch(channels.size()));
        round = next;
        return next.reached;
    }

    /** The {@link System#nanoTime()} at which the latest stream got the version last expected. */
    public long lastArrival() {
        return lastArrival.get();
    }

    /** How many of the streams are still open. */
    public long open() {
        return channels.stream().filter(Channel::isActive).count();
    }

    @Override
    public void close() {
        channels.forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The version the streams wait for now, and the latch its arrivals count down. */
    private record Round(long version, CountDownLatch reached) {
        String marker() {
            return "\"type\":\"change\",\"version\":" + version + ",";
        }
    }

    /** One stream's reader: keeps the tail of what arrived, so a marker split across reads is still seen. */
    private final class Follower extends SimpleChannelInboundHandler<HttpObject> {
        private final StringBuilder seen = new StringBuilder();
        private boolean isLive;
        private long reachedVersion = -1;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpContent content)) {
                return;
            }
            seen.append(content.content().toString(StandardCharsets.UTF_8));
            if (!isLive && seen.indexOf("\"type\":\"heartbeat\"") >= 0) {
                isLive = true;
                live.countDown();
            }
            Round current = round;
            if (reachedVersion != current.version() && seen.indexOf(current.marker()) >= 0) {
                reachedVersion = current.version();
                lastArrival.accumulateAndGet(System.nanoTime(), Math::max);
                current.reached().countDown();
            }
            if (seen.length() > 4096) {
                seen.delete(0, seen.length() - 1024);
            }
        }
    }
}
