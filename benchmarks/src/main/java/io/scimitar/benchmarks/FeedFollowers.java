package io.scimitar.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.scimitar.scim.feed.Feed;
import io.scimitar.scim.feed.FeedSettings;
import io.scimitar.scim.http.BearerTokens;
import io.scimitar.scim.http.ScimServer;
import io.scimitar.scim.http.ScimServerSettings;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.DirectoryService;
import io.scimitar.scim.service.DirectorySettings;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.store.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many change streams one receiver holds, and how long a change takes to reach the last of them:
 * a receiver (SQLite store, SCIM server with the feed) and N followers (a Netty client on two event
 * loops) in one JVM on loopback. Usage: {@code FeedFollowers [followers] [changes]}.
 */
public final class FeedFollowers {

    private static final String FEED_TOKEN = "feed-benchmark-token-0123456789";

    private FeedFollowers() {
    }

    public static void main(String[] args) throws Exception {
        int followers = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
        int changes = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path folder = Files.createTempDirectory("feed-followers-");
        JdbcStore store = JdbcStore.openSqlite(folder.resolve("directory.db"), true, Clock.systemUTC());
        DirectoryView view = DirectoryView.follow(store);
        DirectoryService service = new DirectoryService(store, view, new DirectorySettings(true, 1000));
        ScimServer server = new ScimServer(ScimServerSettings.builder(BearerTokens.of("scim-benchmark-token-0123456789"))
                .host("127.0.0.1").port(0).build(), service,
                Feed.on(FeedSettings.builder(BearerTokens.of(FEED_TOKEN)).build(), store)).start();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        List<Channel> channels = new ArrayList<>(followers);
        Round round = new Round();
        try {
            CountDownLatch live = new CountDownLatch(followers);
            Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec()).addLast(new Follower(live, round));
                        }
                    });
            long connectStart = System.nanoTime();
            for (int i = 0; i < followers; i++) {
                Channel channel = bootstrap.connect("127.0.0.1", server.port()).syncUninterruptibly().channel();
                DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                        "/feed/v1/changes?after=0");
                request.headers().set(HttpHeaderNames.HOST, "127.0.0.1")
                        .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + FEED_TOKEN);
                channel.writeAndFlush(request);
                channels.add(channel);
            }
            if (!live.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(live.getCount() + " of " + followers + " streams never went live");
            }
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            long heapMb = (runtime.totalMemory() - runtime.freeMemory()) >> 20;

            long[] micros = new long[changes];
            for (int v = 1; v <= changes; v++) {
                CountDownLatch reached = round.start(v, followers);
                ObjectNode user = Json.object().put("userName", "user" + v + "@example.com");
                user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
                service.create(ResourceType.USER, user, Projection.DEFAULT);
                long committed = System.nanoTime();
                if (!reached.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("version " + v + " reached only "
                            + (followers - reached.getCount()) + " of " + followers + " followers");
                }
                micros[v - 1] = (round.lastArrival.get() - committed) / 1_000;
            }
            Arrays.sort(micros);
            long open = channels.stream().filter(Channel::isActive).count();
            System.out.printf("followers=%d live_after=%.1fs heap_used_after_gc=%dMB (receiver and clients together)%n",
                    followers, connectSeconds, heapMb);
            System.out.printf("commit->last follower over %d changes: p50=%.1fms p90=%.1fms max=%.1fms; streams still open=%d%n",
                    changes, micros[changes / 2] / 1000.0, micros[(int) (changes * 0.9)] / 1000.0,
                    micros[changes - 1] / 1000.0, open);
        } finally {
            channels.forEach(Channel::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            server.close();
            view.close();
            store.close();
        }
    }

    /** The version every follower waits for now, and when the last one saw it. */
    private static final class Round {
        volatile String marker = "";
        volatile CountDownLatch latch = new CountDownLatch(0);
        final AtomicLong lastArrival = new AtomicLong();

        CountDownLatch start(long version, int followers) {
            lastArrival.set(0);
            latch = new CountDownLatch(followers);
            marker = "\"type\":\"change\",\"version\":" + version + ",";
            return latch;
        }

        void arrived() {
            lastArrival.accumulateAndGet(System.nanoTime(), Math::max);
            latch.countDown();
        }
    }

    private static final class Follower extends SimpleChannelInboundHandler<HttpObject> {
        private final CountDownLatch live;
        private final Round round;
        private boolean isLive;

        Follower(CountDownLatch live, Round round) {
            this.live = live;
            this.round = round;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpContent content)) {
                return;
            }
            String text = content.content().toString(StandardCharsets.UTF_8);
            if (!isLive && text.contains("\"type\":\"heartbeat\"")) {
                isLive = true;
                live.countDown();
            }
            if (text.contains(round.marker)) {
                round.arrived();
            }
        }
    }
}
