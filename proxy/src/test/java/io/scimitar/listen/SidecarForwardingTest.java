package io.scimitar.listen;

import io.scimitar.testing.RawClient;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpRequest;
import io.scimitar.forward.ForwardSettings;
import io.scimitar.forward.ForwardedIdentity;
import io.scimitar.testing.RecordingApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sidecar between a real client and a real app on loopback: what the app sees, and what the client gets. */
class SidecarForwardingTest {

    /**
     * A stand-in for the real decider, written for these tests: {@code X-Test-Allow: yes} is alice,
     * {@code X-Test-Deny: forbidden} is 403, anything else is 401.
     */
    static final AccessCheck TEST_CHECK = (HttpRequest request, String path) -> {
        if ("yes".equals(request.headers().get("X-Test-Allow"))) {
            return Verdict.allow(new ForwardedIdentity("alice", "2819c223", "alice@example.com",
                    List.of("eng", "R&D, EU"), 42));
        }
        return Verdict.deny("forbidden".equals(request.headers().get("X-Test-Deny"))
                ? Verdict.Denial.FORBIDDEN : Verdict.Denial.UNAUTHENTICATED);
    };

    static RecordingApp app;
    static SidecarServer sidecar;

    @BeforeAll
    static void start() throws IOException {
        app = new RecordingApp();
        sidecar = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0,
                ForwardSettings.toLoopback(app.port()).withMaxBodyBytes(64L * 1024 * 1024)), TEST_CHECK).start();
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        app.close();
    }

    static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: app.example.com\r\nX-Test-Allow: yes\r\n"
                + String.join("", headers) + "\r\n";
    }

    @Test
    void identityHeadersAreAddedAndSpoofedOnesStripped() throws Exception {
        try (var client = new RawClient(sidecar.port())) {
            var response = client.exchange(get("/whoami",
                    "X-Scimitar-User: mallory\r\n", "x-scimitar-groups: admins\r\n", "X-SCIMITAR-Other: 1\r\n",
                    "X-Forwarded-For: 203.0.113.7\r\n", "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n",
                    "Connection: keep-alive, X-Hop\r\n", "X-Hop: secret\r\n", "Proxy-Connection: keep-alive\r\n"));
            assertThat(response.status()).isEqualTo(200);
        }
        var seen = app.next();
        assertThat(seen.header("x-scimitar-user")).isEqualTo("alice");
        assertThat(seen.header("x-scimitar-user-id")).isEqualTo("2819c223");
        assertThat(seen.header("x-scimitar-email")).isEqualTo("alice@example.com");
        assertThat(seen.header("x-scimitar-groups")).isEqualTo("eng,R&D%2C EU");
        assertThat(seen.header("x-scimitar-directory-version")).isEqualTo("42");
        assertThat(seen.headers()).doesNotContainKey("x-scimitar-other")
                .doesNotContainKeys("x-hop", "proxy-connection", "x-test-deny");
        assertThat(seen.header("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.header("x-forwarded-host")).isEqualTo("app.example.com");
        assertThat(seen.header("traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    @ParameterizedTest(name = "{0} reaches the app as {1}")
    @CsvSource({
        "/a/./b//c,          /a/b/c",
        "/a/b/../c,          /a/c",
        "/%7Euser/x,         /~user/x",
        "/search?q=a%2Fb&x=., /search?q=a%2Fb&x=.",
        "/p/%c3%a9?,         /p/%C3%A9",
    })
    void theAppSeesTheNormalizedPathAndTheRawQuery(String target, String expected) throws Exception {
        try (var client = new RawClient(sidecar.port())) {
            assertThat(client.exchange(get(target)).status()).isEqualTo(200);
        }
        assertThat(app.next().target()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is answered {1} and never forwarded")
    @CsvSource({
        "/%2e%2e/x,   400",
        "/a/%2F/b,    400",
        "/a;jsessionid=1, 400",
        "/..,         400",
    })
    void rejectedTargetsNeverReachTheApp(String target, int status) throws Exception {
        try (var client = new RawClient(sidecar.port())) {
            var refused = client.exchange(get(target));
            assertThat(refused.status()).isEqualTo(status);
            assertThat(refused.body()).isEmpty();
            // The same connection goes on; the app's next request is this one, not the refused one.
            assertThat(client.exchange(get("/after-rejection")).status()).isEqualTo(200);
        }
        assertThat(app.next().target()).isEqualTo("/after-rejection");
    }

    @ParameterizedTest(name = "deny {0} → {1}")
    @CsvSource({
        "'',                        401",
        "'X-Test-Deny: forbidden\r\n', 403",
    })
    void deniedRequestsNeverReachTheApp(String denyHeader, int status) throws Exception {
        try (var client = new RawClient(sidecar.port())) {
            var denied = client.exchange("POST /secret HTTP/1.1\r\nHost: x\r\n" + denyHeader
                    + "Content-Length: 5\r\n\r\nhello");
            assertThat(denied.status()).isEqualTo(status);
            assertThat(denied.body()).isEmpty();
            if (status == 401) {
                assertThat(denied.headers()).containsEntry("www-authenticate", "Bearer error=\"invalid_token\"");
            } else {
                assertThat(denied.headers()).doesNotContainKey("www-authenticate");
            }
            assertThat(client.exchange(get("/after-denial")).status()).isEqualTo(200);
        }
        assertThat(app.next().target()).isEqualTo("/after-denial");
    }

    @Test
    void aChunkedBodyOfSeveralMegabytesStreamsBothWaysIntact() throws Exception {
        byte[] body = new byte[6 * 1024 * 1024 + 17];
        new Random(7).nextBytes(body);
        var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // An InputStream publisher has no length, so the client sends Transfer-Encoding: chunked.
        var request = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.port() + "/upload"))
                .header("X-Test-Allow", "yes").header("X-App", "echo-chunked")
                .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .timeout(Duration.ofSeconds(30)).build();
        var response = client.send(request, BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("transfer-encoding")).contains("chunked");
        assertThat(sha256(response.body())).isEqualTo(sha256(new java.io.ByteArrayInputStream(body)));
        var seen = app.next();
        assertThat(seen.bodyLength()).isEqualTo(body.length);
        assertThat(seen.header("transfer-encoding")).isEqualTo("chunked");
    }

    @Test
    void oneClientConnectionCarriesManyRequestsOverFewerUpstreamConnections() throws Exception {
        int requests = 8;
        try (var client = new RawClient(sidecar.port())) {
            for (int i = 0; i < requests; i++) {
                assertThat(client.exchange(get("/keep/" + i)).status()).isEqualTo(200);
            }
        }
        Set<Integer> upstreamPorts = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            var seen = app.next();
            assertThat(seen.target()).isEqualTo("/keep/" + i);
            upstreamPorts.add(seen.clientPort());
        }
        assertThat(upstreamPorts).hasSizeLessThan(requests);
    }

    @Test
    void oversizedRequestHeadersAre431() throws Exception {
        try (var client = new RawClient(sidecar.port())) {
            var response = client.exchange(get("/big-headers", "X-Filler: " + "a".repeat(32 * 1024) + "\r\n"));
            assertThat(response.status()).isEqualTo(431);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aBodyOverTheLimitIs413AndTheConnectionCloses() throws Exception {
        try (var app413 = new RecordingApp();
                var small = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0,
                        ForwardSettings.toLoopback(app413.port()).withMaxBodyBytes(1024)), TEST_CHECK).start();
                var declared = new RawClient(small.port());
                var streamed = new RawClient(small.port())) {
            var tooLong = declared.exchange("POST /up HTTP/1.1\r\nHost: x\r\nX-Test-Allow: yes\r\n"
                    + "Content-Length: 4096\r\n\r\n");
            assertThat(tooLong.status()).isEqualTo(413);
            assertThat(declared.closedByServer()).isTrue();

            String chunk = Integer.toHexString(600) + "\r\n" + "b".repeat(600) + "\r\n";
            var counted = streamed.exchange("POST /up HTTP/1.1\r\nHost: x\r\nX-Test-Allow: yes\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + chunk + chunk + chunk + "0\r\n\r\n");
            assertThat(counted.status()).isEqualTo(413);
            assertThat(streamed.closedByServer()).isTrue();
        }
    }

    @Test
    void anAppThatRefusesConnectionsIs502() throws Exception {
        int closedPort;
        try (var probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (var down = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0,
                ForwardSettings.toLoopback(closedPort)), TEST_CHECK).start();
                var client = new RawClient(down.port())) {
            var response = client.exchange(get("/anything"));
            assertThat(response.status()).isEqualTo(502);
            assertThat(response.body()).isEmpty();
            assertThat(client.exchange(get("/again")).status()).isEqualTo(502); // still keep-alive
        }
    }

    @Test
    void anAppThatDoesNotAnswerInTimeIs504() throws Exception {
        try (var slowApp = new RecordingApp();
                var impatient = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0,
                        ForwardSettings.toLoopback(slowApp.port()).withResponseHeaderTimeout(Duration.ofMillis(300))),
                        TEST_CHECK).start();
                var client = new RawClient(impatient.port())) {
            try {
                assertThat(client.exchange(get("/stall")).status()).isEqualTo(504);
            } finally {
                slowApp.releaseStalled();
            }
            assertThat(slowApp.next().target()).isEqualTo("/stall");
        }
    }

    private static String sha256(InputStream in) {
        try (in) {
            var digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
