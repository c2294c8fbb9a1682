package io.scimitar.listen;

import io.scimitar.testing.RawClient;
import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.forward.ForwardSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebSocket through the sidecar between a real client (java.net.http) and a real Netty WebSocket
 * app: the handshake is decided like any request, then frames pass through both ways untouched.
 */
class WebSocketPassthroughTest {

    private static final String[] ALLOWED = {"X-Test-Allow", "yes"};

    static WebSocketApp app;
    static SidecarServer sidecar;

    @BeforeAll
    static void start() {
        app = new WebSocketApp();
        sidecar = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0, ForwardSettings.toLoopback(app.port())),
                SidecarForwardingTest.TEST_CHECK).start();
    }

    @BeforeEach
    void forgetEarlierTests() {
        app.forget();
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        app.close();
    }

    @Test
    void anAllowedHandshakeReachesTheAppWithTheIdentityAndEchoesBothWays() throws Exception {
        try (var client = WebSocketClient.open(sidecar.port(), "/ws/chat?room=1", ALLOWED)) {
            assertThat(client.echo("hello")).isEqualTo("hello");
            client.sendBinary(new byte[] {0, 1, 2, (byte) 0xFF});
            assertThat((byte[]) client.next()).containsExactly(0, 1, 2, 0xFF);
            assertThat(client.echo("twice")).isEqualTo("twice");
        }
        var seen = app.nextHandshake();
        assertThat(seen.target()).isEqualTo("/ws/chat?room=1");
        assertThat(seen.headers()).containsEntry("upgrade", "websocket").containsKey("sec-websocket-key")
                .containsEntry("x-scimitar-user", "alice").containsEntry("x-scimitar-user-id", "2819c223");
        assertThat(seen.headers().get("connection")).containsIgnoringCase("upgrade");
    }

    @Test
    void theSubprotocolTheAppChoosesReachesTheClient() throws Exception {
        WebSocket opened = HttpClient.newHttpClient().newWebSocketBuilder().header("X-Test-Allow", "yes")
                .subprotocols("chat.v1").buildAsync(URI.create("ws://127.0.0.1:" + sidecar.port() + "/ws/sub"),
                        new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
        try {
            assertThat(opened.getSubprotocol()).isEqualTo("chat.v1");
        } finally {
            opened.abort();
        }
        assertThat(app.nextHandshake().headers()).containsEntry("sec-websocket-protocol", "chat.v1");
    }

    @Test
    void framesOfSeveralMegabytesPassIntactBothWays() throws Exception {
        byte[] large = new byte[5 * 1024 * 1024 + 3];
        new Random(11).nextBytes(large);
        String longText = "é".repeat(1024 * 1024); // 2 MiB of UTF-8
        try (var client = WebSocketClient.open(sidecar.port(), "/ws/large", ALLOWED)) {
            client.sendBinary(large);
            assertThat((byte[]) client.next()).isEqualTo(large);
            client.sendText(longText);
            assertThat(((String) client.next()).getBytes(StandardCharsets.UTF_8)).hasSize(2 * 1024 * 1024)
                    .isEqualTo(longText.getBytes(StandardCharsets.UTF_8));
        }
        app.nextHandshake();
    }

    @Test
    void aHandshakeWithoutATokenIs401AndNeverReachesTheApp() throws Exception {
        assertThat(WebSocketClient.refusedStatus(sidecar.port(), "/ws/denied")).isEqualTo(401);
        try (var client = WebSocketClient.open(sidecar.port(), "/ws/after-401", ALLOWED)) {
            assertThat(client.echo("still here")).isEqualTo("still here");
        }
        assertThat(app.nextHandshake().target()).isEqualTo("/ws/after-401");
    }

    @Test
    void aForbiddenHandshakeIs403AndNeverReachesTheApp() throws Exception {
        assertThat(WebSocketClient.refusedStatus(sidecar.port(), "/ws/forbidden", "X-Test-Deny", "forbidden"))
                .isEqualTo(403);
        try (var client = WebSocketClient.open(sidecar.port(), "/ws/after-403", ALLOWED)) {
            assertThat(client.echo("ok")).isEqualTo("ok");
        }
        assertThat(app.nextHandshake().target()).isEqualTo("/ws/after-403");
    }

    @Test
    void anAppThatRefusesTheUpgradeAnswersTheClientAndTheConnectionGoesOnAsHttp() throws Exception {
        assertThat(WebSocketClient.refusedStatus(sidecar.port(), "/refuse", ALLOWED)).isEqualTo(400);
        assertThat(app.nextHandshake().target()).isEqualTo("/refuse");

        try (var raw = new RawClient(sidecar.port())) {
            var refused = raw.exchange("GET /refuse HTTP/1.1\r\nHost: app\r\nX-Test-Allow: yes\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo("no WebSocket here");
            assertThat(refused.headers()).doesNotContainKey("upgrade");
            // The client connection stays HTTP/1.1 and keep-alive: the next request on it is answered.
            assertThat(raw.exchange("GET /refuse HTTP/1.1\r\nHost: app\r\nX-Test-Allow: yes\r\n\r\n").status())
                    .isEqualTo(400);
        }
        assertThat(app.nextHandshake().headers()).containsEntry("upgrade", "websocket");
        assertThat(app.nextHandshake().headers()).doesNotContainKey("upgrade");
    }

    @Test
    void whenTheAppClosesTheClientSeesItsClose() throws Exception {
        try (var client = WebSocketClient.open(sidecar.port(), "/bye", ALLOWED)) {
            var ended = client.awaitEnd(5);
            assertThat(ended.statusCode()).isEqualTo(1000);
        }
        app.nextHandshake();
    }

    @Test
    void whenTheClientGoesAwayTheAppsConnectionIsClosed() throws Exception {
        var client = WebSocketClient.open(sidecar.port(), "/ws/leaving", ALLOWED);
        assertThat(client.echo("bye")).isEqualTo("bye");
        var appSide = app.nextUpgraded("/ws/leaving");
        client.socket().abort(); // a TCP close without a Close frame
        assertThat(appSide.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        app.nextHandshake();
    }

    @Test
    void anIdleTunnelIsClosedAfterTheListenersIdleTimeout() throws Exception {
        var quick = new SidecarSettings("127.0.0.1", 0, PathNormalizer.DEFAULT_MAX_LENGTH, 16 * 1024,
                Duration.ofMillis(300), ForwardSettings.toLoopback(app.port()));
        try (var impatient = new SidecarServer(quick, SidecarForwardingTest.TEST_CHECK).start();
                var client = WebSocketClient.open(impatient.port(), "/ws/idle", ALLOWED)) {
            assertThat(client.echo("one")).isEqualTo("one");
            var appSide = app.nextUpgraded("/ws/idle");
            // Cut, not closed with a Close frame: RFC 6455 §7.1.5's 1006 (closed abnormally).
            assertThat(client.awaitEnd(5).statusCode()).isEqualTo(1006);
            assertThat(appSide.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        }
        app.nextHandshake();
    }
}
