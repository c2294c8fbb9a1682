package io.scimitar.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.forward.ForwardSettings;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.testing.RecordingApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation of live WebSockets end to end: real tokens, a real SQLite directory changed through
 * the SCIM service, the sidecar with {@link LiveConnections}, a real WebSocket app and client. A
 * revoked user's connection is cut (1006 at the client); everyone else's goes on. On HTTP/2 only
 * the revoked user's stream is reset: the connection and the other streams on it go on.
 */
class ConnectionRevocationTest {

    private static final String POLICY = """
            roles:
              engineers: [eng]
            routes:
              - path: /ws/**
                methods: [GET]
                allow: [engineers]
              - path: /stall
                allow: [engineers]
            """;

    @TempDir
    Path folder;

    private DirectoryFixture fixture;
    private WebSocketApp app;
    private LiveConnections live;
    private SidecarServer sidecar;
    private String ada;
    private String eng;

    @BeforeEach
    void start() throws Exception {
        fixture = new DirectoryFixture(folder, POLICY);
        ada = fixture.createUser("ada", "ada@example.com");
        String bob = fixture.createUser("bob", "bob@example.com");
        eng = fixture.createGroup("eng", ada, bob);
        app = new WebSocketApp();
        live = LiveConnections.following(fixture.directory, fixture.decider);
        sidecar = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0, ForwardSettings.toLoopback(app.port())),
                fixture.accessCheck(), live).start();
    }

    @AfterEach
    void stop() {
        sidecar.close();
        live.close();
        app.close();
        fixture.close();
    }

    @Test
    void aDeactivatedUsersWebSocketIsClosedAndNobodyElses() throws Exception {
        try (var adaSocket = open("ada@example.com"); var bobSocket = open("bob@example.com")) {
            assertThat(adaSocket.echo("before")).isEqualTo("before");
            assertThat(bobSocket.echo("before")).isEqualTo("before");
            assertThat(live.size()).isEqualTo(2);

            fixture.deactivate(ada);

            assertThat(adaSocket.awaitEnd(5).statusCode()).isEqualTo(1006);
            assertThat(bobSocket.echo("after")).isEqualTo("after");
            assertThat(bobSocket.ended()).isNotDone();
        }
        // And a new handshake as ada is refused at the gate.
        assertThat(WebSocketClient.refusedStatus(sidecar.port(), "/ws/chat",
                "Authorization", fixture.bearer("ada@example.com"))).isEqualTo(403);
    }

    @Test
    void losingTheGroupTheRouteNeedsClosesTheWebSocket() throws Exception {
        try (var adaSocket = open("ada@example.com"); var bobSocket = open("bob@example.com")) {
            assertThat(adaSocket.echo("before")).isEqualTo("before");

            fixture.removeMember(eng, ada);

            assertThat(adaSocket.awaitEnd(5).statusCode()).isEqualTo(1006);
            assertThat(bobSocket.echo("still a member")).isEqualTo("still a member");
        }
    }

    @Test
    void aDeletedUsersWebSocketIsClosed() throws Exception {
        try (var adaSocket = open("ada@example.com"); var bobSocket = open("bob@example.com")) {
            assertThat(adaSocket.echo("before")).isEqualTo("before");

            fixture.scim.delete(ResourceType.USER, ada, Optional.empty());

            assertThat(adaSocket.awaitEnd(5).statusCode()).isEqualTo(1006);
            assertThat(bobSocket.echo("after")).isEqualTo("after");
        }
    }

    @Test
    void aChangeThatKeepsTheUserAllowedLeavesTheConnectionOpen() throws Exception {
        try (var adaSocket = open("ada@example.com")) {
            fixture.createGroup("ops", ada); // ada is affected by this version, and still an engineer

            assertThat(live.recheckAll().get(5, TimeUnit.SECONDS)).isZero();
            assertThat(adaSocket.echo("still here")).isEqualTo("still here");
            assertThat(adaSocket.ended()).isNotDone();
        }
    }

    @Test
    void aPolicyReloadIsAppliedToOpenConnectionsByRecheckAll() throws Exception {
        try (var adaSocket = open("ada@example.com"); var bobSocket = open("bob@example.com")) {
            assertThat(adaSocket.echo("before")).isEqualTo("before");
            assertThat(bobSocket.echo("before")).isEqualTo("before");

            fixture.setPolicy("""
                    roles:
                      admins: [platform-admins]
                    routes:
                      - path: /ws/**
                        allow: [admins]
                    """);

            assertThat(live.recheckAll().get(5, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(adaSocket.awaitEnd(5).statusCode()).isEqualTo(1006);
            assertThat(bobSocket.awaitEnd(5).statusCode()).isEqualTo(1006);
        }
    }

    @Test
    void theAppsSideOfARevokedConnectionIsClosedToo() throws Exception {
        try (var adaSocket = open("ada@example.com")) {
            assertThat(adaSocket.echo("before")).isEqualTo("before");
            var appSide = app.nextUpgraded("/ws/chat");

            fixture.deactivate(ada);

            assertThat(appSide.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(adaSocket.awaitEnd(5).statusCode()).isEqualTo(1006);
        }
    }

    @Test
    void aDeactivatedUsersHttp2StreamIsResetAndTheConnectionAndOtherUsersStreamsGoOn() throws Exception {
        try (var stalling = new RecordingApp();
                var h2 = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0,
                        ForwardSettings.toLoopback(stalling.port())), fixture.accessCheck(), live).start();
                var client = new H2Client(h2.port())) { // one connection, as an ALB's HTTP/2 target group holds
            var adas = client.send(List.of(SidecarHttp2Test.get("/stall", "authorization", fixture.bearer("ada@example.com"))));
            var bobs = client.send(List.of(SidecarHttp2Test.get("/stall", "authorization", fixture.bearer("bob@example.com"))));
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (live.size() < 2 && System.nanoTime() < deadline && !adas.isDone() && !bobs.isDone()) {
                    Thread.onSpinWait(); // each stream is registered once the gate admitted it
                }
                assertThat(live.size()).isEqualTo(2);

                fixture.deactivate(ada);

                assertThat(adas).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                        .withCauseInstanceOf(H2Client.StreamReset.class);
                assertThat(client.isOpen()).isTrue();
                assertThat(bobs).isNotDone();
            } finally {
                stalling.releaseStalled();
            }
            assertThat(SidecarHttp2Test.await(bobs).status()).isEqualTo(200);
            var nextOfAdas = client.send(List.of(SidecarHttp2Test.get("/stall", "authorization", fixture.bearer("ada@example.com"))));
            assertThat(SidecarHttp2Test.await(nextOfAdas).status()).isEqualTo(403);
            assertThat(client.isOpen()).isTrue();
        }
    }

    private WebSocketClient open(String email) throws Exception {
        return WebSocketClient.open(sidecar.port(), "/ws/chat", "Authorization", fixture.bearer(email));
    }
}
