package io.scimitar.scim.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
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
import org.junit.jupiter.api.Test;

/** One receiver holds a thousand change streams on its event loops, and every one of them gets a change. */
class FeedManyFollowersTest {

    private static final int FOLLOWERS = 1_000;

    @Test
    void aThousandStreamsAllReceiveAChange() throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        List<Channel> channels = new ArrayList<>();
        try (FeedFixture receiver = FeedFixture.start()) {
            CountDownLatch live = new CountDownLatch(FOLLOWERS);
            CountDownLatch changed = new CountDownLatch(FOLLOWERS);
            Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec()).addLast(new Follower(live, changed));
                        }
                    });
            for (int i = 0; i < FOLLOWERS; i++) {
                Channel channel = bootstrap.connect("127.0.0.1", receiver.server.port()).syncUninterruptibly().channel();
                DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                        "/feed/v1/changes?after=0");
                request.headers().set(HttpHeaderNames.HOST, "127.0.0.1")
                        .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + FeedFixture.FEED_TOKEN);
                channel.writeAndFlush(request);
                channels.add(channel);
            }
            assertThat(live.await(60, TimeUnit.SECONDS)).as("every stream is live").isTrue();
            receiver.createUser("everyone-sees-me");
            assertThat(changed.await(30, TimeUnit.SECONDS)).as("every stream got the change").isTrue();
            assertThat(channels).allMatch(Channel::isActive);
        } finally {
            channels.forEach(Channel::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Counts down once when the stream's first heartbeat arrives and once when the change does. */
    private static final class Follower extends SimpleChannelInboundHandler<HttpObject> {
        private final CountDownLatch live;
        private final CountDownLatch changed;
        private final StringBuilder seen = new StringBuilder();
        private boolean isLive;
        private boolean gotChange;

        Follower(CountDownLatch live, CountDownLatch changed) {
            this.live = live;
            this.changed = changed;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpContent content)) {
                return;
            }
            ByteBuf bytes = content.content();
            seen.append(bytes.toString(StandardCharsets.UTF_8));
            if (!isLive && seen.indexOf("\"type\":\"heartbeat\"") >= 0) {
                isLive = true;
                live.countDown();
            }
            if (!gotChange && seen.indexOf("\"type\":\"change\",\"version\":1,") >= 0) {
                gotChange = true;
                changed.countDown();
            }
            if (seen.length() > 4096) {
                seen.delete(0, seen.length() - 1024);
            }
        }
    }
}
