package io.scimitar.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry on its own, over real loopback connections and the real directory: who is
 * re-checked, what closes, and that entries leave with their connections.
 */
class LiveConnectionsTest {

    private static final String POLICY = """
            roles:
              engineers: [eng]
              operators: [ops]
            routes:
              - path: /ws/**
                allow: [engineers]
              - path: /ops/**
                allow: [operators]
            """;

    @TempDir
    Path folder;

    private DirectoryFixture fixture;
    private LiveConnections live;
    private EventLoopGroup group;
    private SocketAddress address;
    private String ada;
    private String bob;
    private String ops;

    @BeforeEach
    void start() throws Exception {
        fixture = new DirectoryFixture(folder, POLICY);
        ada = fixture.createUser("ada", "ada@example.com");
        bob = fixture.createUser("bob", "bob@example.com");
        fixture.createGroup("eng", ada, bob);
        ops = fixture.createGroup("ops", ada);
        live = LiveConnections.following(fixture.directory, fixture.decider);
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        address = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // The far end only has to stay connected; the default pipeline reads and drops.
                    }
                }).bind("127.0.0.1", 0).sync().channel().localAddress();
    }

    @AfterEach
    void stop() {
        live.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        fixture.close();
    }

    @Test
    void thousandsOfConnectionsOfARevokedUserCloseWithinASecondAndOnlyThose() throws Exception {
        int each = 1_000;
        var adaClosed = new CountDownLatch(each);
        List<Channel> bobs = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            Channel adas = connect();
            live.register(adas, subject("ada@example.com", ada), "GET", "/ws/" + i);
            adas.closeFuture().addListener(f -> adaClosed.countDown());
            Channel bobs1 = connect();
            live.register(bobs1, subject("bob@example.com", bob), "GET", "/ws/" + i);
            bobs.add(bobs1);
        }
        assertThat(live.size()).isEqualTo(2 * each);

        fixture.deactivate(ada);

        assertThat(adaClosed.await(1, TimeUnit.SECONDS)).as("every one of ada's connections closed within 1 s").isTrue();
        assertThat(bobs).allMatch(Channel::isOpen);
        assertThat(live.size()).isEqualTo(each); // each entry left as its connection closed
    }

    @Test
    void aConnectionClosesWhenAnyOfItsEntriesIsDenied() throws Exception {
        Channel connection = connect(); // like an HTTP/2 connection with one stream on each route
        live.register(connection, subject("ada@example.com", ada), "GET", "/ws/chat");
        live.register(connection, subject("ada@example.com", ada), "GET", "/ops/console");

        fixture.removeMember(ops, ada); // /ws/chat is still allowed, /ops/console no longer

        assertThat(connection.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aClosedRegistrationIsNoLongerCheckedAndItsConnectionStaysOpen() throws Exception {
        Channel connection = connect();
        var ended = live.register(connection, subject("ada@example.com", ada), "GET", "/ops/console");
        live.register(connection, subject("ada@example.com", ada), "GET", "/ws/chat");
        ended.close(); // the /ops stream finished

        fixture.removeMember(ops, ada);

        assertThat(live.recheckAll().get(5, TimeUnit.SECONDS)).isZero();
        assertThat(connection.isOpen()).isTrue();
        assertThat(live.size()).isEqualTo(1);
    }

    @Test
    void anEntryAlreadyDeniedWhenRegisteredIsClosedAtOnce() throws Exception {
        Channel connection = connect();

        live.register(connection, subject("bob@example.com", bob), "GET", "/ops/console"); // admitted on an older version

        assertThat(connection.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aConnectionThatClosesLeavesTheRegistry() throws Exception {
        Channel connection = connect();
        live.register(connection, subject("ada@example.com", ada), "GET", "/ws/chat");
        var left = new CountDownLatch(1);
        connection.closeFuture().addListener(f -> left.countDown()); // runs after the registry's own listener

        connection.close();

        assertThat(left.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(live.size()).isZero();
    }

    @Test
    void aClosedRegistryNoLongerRechecks() throws Exception {
        live.close();

        assertThat(live.recheckAll()).failsWithin(5, TimeUnit.SECONDS);
    }

    private Channel connect() throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                .connect(address).sync().channel();
    }

    private static Verdict.Subject subject(String claim, String id) {
        return new Verdict.Subject(claim, id);
    }
}
