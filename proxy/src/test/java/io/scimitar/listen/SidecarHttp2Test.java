package io.scimitar.listen;

import static io.scimitar.listen.SidecarForwardingTest.TEST_CHECK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Error;
import io.scimitar.forward.ForwardSettings;
import io.scimitar.testing.RecordingApp;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sidecar over HTTP/2 between real clients and a real HTTP/1.1 app on loopback: h2c by prior
 * knowledge (Netty's client) and by {@code Upgrade} (java.net.http), and h2 over TLS with ALPN.
 */
class SidecarHttp2Test {

    @TempDir
    static Path certificates;

    static RecordingApp app;
    static TestCertificate certificate;
    static SidecarServer cleartext;
    static SidecarServer tls;
    static HttpClient tlsClient;

    @BeforeAll
    static void start() throws Exception {
        app = new RecordingApp();
        certificate = TestCertificate.generate(certificates);
        var settings = SidecarSettings.listening("127.0.0.1", 0,
                ForwardSettings.toLoopback(app.port()).withMaxBodyBytes(64L * 1024 * 1024));
        cleartext = new SidecarServer(settings, TEST_CHECK).start();
        tls = new SidecarServer(settings.withTls(certificate.certificateChain(), certificate.privateKey()),
                TEST_CHECK).start();
        tlsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(certificate.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        tlsClient.close();
        tls.close();
        cleartext.close();
        app.close();
    }

    static FullHttpRequest get(String target, String... headers) {
        var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target, Unpooled.EMPTY_BUFFER);
        request.headers().set("host", "app.example.com").set("x-test-allow", "yes");
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    static H2Client.Response await(CompletableFuture<H2Client.Response> response) throws Exception {
        return response.get(10, TimeUnit.SECONDS);
    }

    static HttpRequest.Builder overTls(String target) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tls.port() + target))
                .timeout(Duration.ofSeconds(30));
    }

    @Test
    void identityHeadersReachTheAppOverPriorKnowledgeH2c() throws Exception {
        try (var client = new H2Client(cleartext.port())) {
            var response = await(client.send(List.of(get("/whoami?x=1",
                    "x-scimitar-user", "mallory", "X-Scimitar-Groups", "admins", "x-forwarded-for", "203.0.113.7",
                    "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers().names()).doesNotContain("connection", "keep-alive", "transfer-encoding");
        }
        var seen = app.next();
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.target()).isEqualTo("/whoami?x=1");
        assertThat(seen.header("host")).isEqualTo("app.example.com");
        assertThat(seen.header("x-scimitar-user")).isEqualTo("alice");
        assertThat(seen.header("x-scimitar-groups")).isEqualTo("eng,R&D%2C EU");
        assertThat(seen.header("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.header("traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(seen.headers().keySet()).noneMatch(name -> name.startsWith("x-http2-"))
                .doesNotContain("upgrade", "http2-settings", "te");
    }

    @ParameterizedTest(name = "deny {0} → {1} over h2c")
    @CsvSource({
        "'',         401",
        "forbidden,  403",
    })
    void deniedStreamsNeverReachTheAppOverH2c(String deny, int status) throws Exception {
        try (var client = new H2Client(cleartext.port())) {
            var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/secret",
                    Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
            request.headers().set("host", "x").set("x-test-deny", deny).setInt("content-length", 5);
            var denied = await(client.send(List.of(request)));
            assertThat(denied.status()).isEqualTo(status);
            assertThat(denied.body()).isEmpty();
            if (status == 401) {
                assertThat(denied.headers().get("www-authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
            } else {
                assertThat(denied.headers().contains("www-authenticate")).isFalse();
            }
            assertThat(await(client.send(List.of(get("/after-denial")))).status()).isEqualTo(200);
        }
        assertThat(app.next().target()).isEqualTo("/after-denial");
    }

    @ParameterizedTest(name = "deny {0} → {1} over h2 with TLS")
    @CsvSource({
        "'',         401",
        "forbidden,  403",
    })
    void deniedStreamsNeverReachTheAppOverTls(String deny, int status) throws Exception {
        var denied = tlsClient.send(overTls("/secret").header("X-Test-Deny", deny.isEmpty() ? "no" : deny)
                .POST(BodyPublishers.ofString("hello")).build(), BodyHandlers.ofByteArray());
        assertThat(denied.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(denied.statusCode()).isEqualTo(status);
        assertThat(denied.body()).isEmpty();
        assertThat(denied.headers().firstValue("www-authenticate"))
                .isEqualTo(status == 401 ? java.util.Optional.of("Bearer error=\"invalid_token\"") : java.util.Optional.empty());
        var allowed = tlsClient.send(overTls("/after-denial").header("X-Test-Allow", "yes").build(),
                BodyHandlers.ofString());
        assertThat(allowed.statusCode()).isEqualTo(200);
        var seen = app.next();
        assertThat(seen.target()).isEqualTo("/after-denial");
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("https");
        assertThat(seen.header("host")).isEqualTo("127.0.0.1:" + tls.port());
    }

    @Test
    void manyConcurrentStreamsOnOneConnectionAreEachAnsweredWithTheirOwnBody() throws Exception {
        int streams = 40;
        var answers = new ArrayList<CompletableFuture<H2Client.Response>>();
        try (var client = new H2Client(cleartext.port())) {
            for (int i = 0; i < streams; i++) {
                var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/concurrent/" + i,
                        Unpooled.copiedBuffer("body of stream " + i, StandardCharsets.US_ASCII));
                request.headers().set("host", "x").set("x-test-allow", "yes")
                        .setInt("content-length", request.content().readableBytes());
                answers.add(client.send(List.of(request)));
            }
            for (int i = 0; i < streams; i++) {
                var response = await(answers.get(i));
                assertThat(response.status()).isEqualTo(200);
                assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("body of stream " + i);
            }
        }
        Map<String, Long> seen = new HashMap<>();
        for (int i = 0; i < streams; i++) {
            var received = app.next();
            seen.put(received.target(), received.bodyLength());
        }
        for (int i = 0; i < streams; i++) {
            assertThat(seen).containsEntry("/concurrent/" + i, (long) ("body of stream " + i).length());
        }
    }

    @Test
    void aBadPathIs400OnItsStreamWhileAnotherStreamOnTheConnectionSucceeds() throws Exception {
        try (var client = new H2Client(cleartext.port())) {
            var bad = client.send(List.of(get("/a/%2e%2e/%2e%2e/etc/passwd")));
            var tooLong = client.send(List.of(get("/" + "a".repeat(PathNormalizer.DEFAULT_MAX_LENGTH + 10))));
            var good = client.send(List.of(get("/good")));
            assertThat(await(bad).status()).isEqualTo(400);
            assertThat(await(tooLong).status()).isEqualTo(414);
            assertThat(await(good).status()).isEqualTo(200);
            assertThat(client.isOpen()).isTrue();
        }
        assertThat(app.next().target()).isEqualTo("/good");
    }

    @Test
    void headersOverTheLimitAre431OnTheirStreamOnly() throws Exception {
        try (var client = new H2Client(cleartext.port())) {
            // Over SETTINGS_MAX_HEADER_LIST_SIZE (16 KiB) but under the 1.25 times that ends the connection.
            var tooBig = client.send(List.of(get("/big-headers", "x-filler", "a".repeat(17 * 1024))));
            var fine = client.send(List.of(get("/beside-431")));
            assertThat(await(tooBig).status()).isEqualTo(431);
            assertThat(await(fine).status()).isEqualTo(200);
            assertThat(await(client.send(List.of(get("/after-431")))).status()).isEqualTo(200);
            assertThat(client.isOpen()).isTrue();
        }
        assertThat(List.of(app.next().target(), app.next().target())).containsExactlyInAnyOrder("/beside-431", "/after-431");
    }

    @Test
    void largeBodiesStreamBothWaysOverTls() throws Exception {
        byte[] body = new byte[6 * 1024 * 1024 + 17];
        new Random(11).nextBytes(body);
        var response = tlsClient.send(overTls("/upload").header("X-Test-Allow", "yes").header("X-App", "echo-chunked")
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                BodyHandlers.ofByteArray());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sha256(response.body())).isEqualTo(sha256(body));
        var seen = app.next();
        assertThat(seen.bodyLength()).isEqualTo(body.length);
        assertThat(seen.header("transfer-encoding")).isEqualTo("chunked");
    }

    @Test
    void largeBodiesStreamBothWaysOverPriorKnowledgeH2c() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 5];
        new Random(13).nextBytes(body);
        var head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/upload");
        head.headers().set("host", "x").set("x-test-allow", "yes").setInt("content-length", body.length);
        var parts = new ArrayList<HttpObject>();
        parts.add(head);
        int chunk = 100_000;
        for (int offset = 0; offset < body.length; offset += chunk) {
            var bytes = Unpooled.wrappedBuffer(body, offset, Math.min(chunk, body.length - offset));
            parts.add(offset + chunk >= body.length ? new DefaultLastHttpContent(bytes) : new DefaultHttpContent(bytes));
        }
        try (var client = new H2Client(cleartext.port())) {
            var response = await(client.send(parts));
            assertThat(response.status()).isEqualTo(200);
            assertThat(sha256(response.body())).isEqualTo(sha256(body));
        }
        var seen = app.next();
        assertThat(seen.method()).isEqualTo("PUT");
        assertThat(seen.bodyLength()).isEqualTo(body.length);
        assertThat(seen.header("content-length")).isEqualTo(Integer.toString(body.length));
    }

    @Test
    void aClientThatAsksForAnUpgradeGetsH2c() throws Exception {
        try (var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            var uri = URI.create("http://127.0.0.1:" + cleartext.port() + "/upgraded");
            HttpResponse<String> first = client.send(HttpRequest.newBuilder(uri).header("X-Test-Allow", "yes").build(),
                    BodyHandlers.ofString());
            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(first.statusCode()).isEqualTo(200);
            HttpResponse<String> second = client.send(HttpRequest.newBuilder(uri).header("X-Test-Allow", "yes")
                    .POST(BodyPublishers.ofString("on stream 3")).build(), BodyHandlers.ofString());
            assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(second.body()).isEqualTo("on stream 3");
        }
        var upgraded = app.next();
        assertThat(upgraded.target()).isEqualTo("/upgraded");
        assertThat(upgraded.headers().keySet()).doesNotContain("upgrade", "http2-settings", "connection")
                .noneMatch(name -> name.startsWith("x-http2-"));
        assertThat(upgraded.header("host")).isEqualTo("127.0.0.1:" + cleartext.port());
        assertThat(app.next().bodyLength()).isEqualTo("on stream 3".length());
    }

    @Test
    void alpnFallsBackToHttp11ForAClientThatOnlySpeaksIt() throws Exception {
        try (var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(certificate.clientContext()).build()) {
            var response = client.send(overTls("/one-one").header("X-Test-Allow", "yes").build(), BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(response.statusCode()).isEqualTo(200);
        }
        var seen = app.next();
        assertThat(seen.target()).isEqualTo("/one-one");
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("https");
    }

    @Test
    void withH2cOffACleartextClientIsServedHttp11() throws Exception {
        try (var plain = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0,
                ForwardSettings.toLoopback(app.port())).withH2c(false), TEST_CHECK).start();
                var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.port() + "/plain"))
                    .header("X-Test-Allow", "yes").build(), BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(response.statusCode()).isEqualTo(200);
        }
        var seen = app.next();
        assertThat(seen.target()).isEqualTo("/plain");
        assertThat(seen.headers().keySet()).doesNotContain("upgrade", "http2-settings");
    }

    @Test
    void anAppThatRefusesConnectionsIs502OnEachStream() throws Exception {
        int closedPort;
        try (var probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (var down = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0,
                ForwardSettings.toLoopback(closedPort)), TEST_CHECK).start();
                var client = new H2Client(down.port())) {
            var first = client.send(List.of(get("/anything")));
            var second = client.send(List.of(get("/else")));
            assertThat(await(first).status()).isEqualTo(502);
            assertThat(await(second).status()).isEqualTo(502);
            assertThat(await(client.send(List.of(get("/again")))).status()).isEqualTo(502);
        }
    }

    @Test
    void aSlowAppIs504OnItsStreamWhileAnotherIsAnswered() throws Exception {
        try (var slowApp = new RecordingApp();
                var impatient = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0,
                        ForwardSettings.toLoopback(slowApp.port()).withResponseHeaderTimeout(Duration.ofMillis(500))),
                        TEST_CHECK).start();
                var client = new H2Client(impatient.port())) {
            try {
                var stalled = client.send(List.of(get("/stall")));
                assertThat(await(client.send(List.of(get("/quick")))).status()).isEqualTo(200);
                assertThat(await(stalled).status()).isEqualTo(504);
            } finally {
                slowApp.releaseStalled();
            }
            assertThat(List.of(slowApp.next().target(), slowApp.next().target())).contains("/quick", "/stall");
        }
    }

    @Test
    void drainingSendsGoAwayAndLetsTheStreamInFlightFinish() throws Exception {
        try (var heldApp = new RecordingApp();
                var draining = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0,
                        ForwardSettings.toLoopback(heldApp.port())), TEST_CHECK).start();
                var client = new H2Client(draining.port())) {
            var held = client.send(List.of(get("/stall")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (draining.inFlight() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the app holds /stall's answer; this waits for the sidecar to admit it
            }
            assertThat(draining.inFlight()).isEqualTo(1);
            var drained = CompletableFuture.supplyAsync(() -> draining.drain(Duration.ofSeconds(10)));

            assertThat(client.goAway.get(10, TimeUnit.SECONDS)).isEqualTo(Http2Error.NO_ERROR.code());
            assertThat(drained).isNotDone();
            heldApp.releaseStalled();
            assertThat(await(held).status()).isEqualTo(200);
            assertThat(drained.get(10, TimeUnit.SECONDS)).as("nothing cut off").isZero();
        }
    }

    @Test
    void aBodyOverTheLimitIs413OnItsStreamOnly() throws Exception {
        try (var app413 = new RecordingApp();
                var small = new SidecarServer(SidecarSettings.listening("127.0.0.1", 0,
                        ForwardSettings.toLoopback(app413.port()).withMaxBodyBytes(1024)), TEST_CHECK).start();
                var client = new H2Client(small.port())) {
            var declared = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/declared");
            declared.headers().set("host", "x").set("x-test-allow", "yes").setInt("content-length", 4096);
            var declaredBody = new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[4096]));
            var streamed = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/streamed");
            streamed.headers().set("host", "x").set("x-test-allow", "yes");
            List<HttpObject> streamedParts = List.of(streamed,
                    new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[600])),
                    new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[600])),
                    new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[600])));

            assertThat(await(client.send(List.of(declared, declaredBody))).status()).isEqualTo(413);
            assertThat(await(client.send(streamedParts)).status()).isEqualTo(413);
            assertThat(await(client.send(List.of(get("/small")))).status()).isEqualTo(200);
            assertThat(client.isOpen()).isTrue();
            assertThat(app413.next().target()).isEqualTo("/small");
        }
    }

    @Test
    void anIdleConnectionIsClosedOnceItsStreamsAreDone() throws Exception {
        var settings = new SidecarSettings("127.0.0.1", 0, PathNormalizer.DEFAULT_MAX_LENGTH, 16 * 1024,
                Duration.ofMillis(300), ForwardSettings.toLoopback(app.port()));
        try (var quick = new SidecarServer(settings, TEST_CHECK).start(); var client = new H2Client(quick.port())) {
            assertThat(await(client.send(List.of(get("/before-idle")))).status()).isEqualTo(200);
            assertThat(client.closedWithin(5_000)).isTrue();
        }
        assertThat(app.next().target()).isEqualTo("/before-idle");
    }

    @Test
    void unreadableTlsFilesFailAtStartNamingTheFile() {
        Path missing = certificates.resolve("missing.pem");
        var settings = SidecarSettings.listening("127.0.0.1", 0, ForwardSettings.toLoopback(app.port()))
                .withTls(certificate.certificateChain(), missing);
        assertThatThrownBy(() -> new SidecarServer(settings, TEST_CHECK))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(missing.toString());
        var swapped = SidecarSettings.listening("127.0.0.1", 0, ForwardSettings.toLoopback(app.port()))
                .withTls(certificate.privateKey(), certificate.certificateChain());
        assertThatThrownBy(() -> new SidecarServer(swapped, TEST_CHECK))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(certificate.privateKey().toString());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

}
