package io.scimitar.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.forward.ForwardSettings;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.testing.RecordingApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation of live WebSockets end to end: real tokens, a real SQLite directory changed through
 * the SCIM service, the sidecar with {@link LiveConnections}, a real WebSocket app and client. A
 * revoked user's connection is cut (1006 at the client); everyone else's goes on. An HTTP/2
 * connection with a stream open is cut the same way.
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
    void anHttp2ConnectionWithAStreamOpenIsClosedWhenItsUserIsDeactivated() throws Exception {
        try (var stalling = new RecordingApp();
                var h2 = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0,
                        ForwardSettings.toLoopback(stalling.port())), fixture.accessCheck(), live).start();
                var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h2.port() + "/stall"))
                    .header("Authorization", fixture.bearer("ada@example.com")).build();
            var pending = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (live.size() == 0 && System.nanoTime() < deadline && !pending.isDone()) {
                    Thread.onSpinWait(); // the stream is registered once the gate admitted it
                }
                assertThat(live.size()).isEqualTo(1);

                fixture.deactivate(ada);

                assertThat(pending).failsWithin(5, TimeUnit.SECONDS);
            } finally {
                stalling.releaseStalled();
            }
        }
    }

    private WebSocketClient open(String email) throws Exception {
        return WebSocketClient.open(sidecar.port(), "/ws/chat", "Authorization", fixture.bearer(email));
    }
}
