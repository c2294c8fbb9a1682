package io.scimitar.e2e;

import io.scimitar.testing.RawClient;
import static io.scimitar.e2e.SidecarFixture.ADA;
import static io.scimitar.e2e.SidecarFixture.GRACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.testing.RecordingApp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request and response bodies through the sidecar with the limit raised to 32 MiB: large ones
 * streamed both ways intact, chunked framing both ways, 413 over the limit, and
 * {@code Expect: 100-continue}.
 */
class BodiesTest {

    private static final long LIMIT = 32L << 20;
    private static final int LARGE = 20 << 20;

    @RegisterExtension
    static final SidecarFixture STACK = SidecarFixture.standard().with("SCIMITAR_MAX_BODY_BYTES", Long.toString(LIMIT));

    private static final byte[] BODY = randomBytes(LARGE);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpRequest.Builder post(String path, String app) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + STACK.port() + path))
                .header("Authorization", "Bearer " + STACK.token(GRACE))
                .header("X-App", app)
                .timeout(Duration.ofSeconds(30));
    }

    @Test
    void aTwentyMebibyteUploadWithContentLengthArrivesIntact() throws Exception {
        STACK.app().forget();
        var response = http.send(post("/api/upload", "digest").POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(LARGE + " " + RecordingApp.sha256(BODY));
        var seen = STACK.app().next();
        assertThat(seen.header("content-length")).isEqualTo(Integer.toString(LARGE));
        assertThat(seen.bodyLength()).isEqualTo(LARGE);
    }

    @Test
    void aTwentyMebibyteChunkedUploadStreamsThroughChunked() throws Exception {
        STACK.app().forget();
        // An InputStream publisher has no length, so the client sends Transfer-Encoding: chunked.
        var request = post("/api/upload", "digest")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(BODY))).build();

        var response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(LARGE + " " + RecordingApp.sha256(BODY));
        var seen = STACK.app().next();
        assertThat(seen.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(seen.header("content-length")).isNull();
    }

    @Test
    void aTwentyMebibyteChunkedDownloadStreamsThroughChunked() throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + STACK.port() + "/api/download"))
                .header("Authorization", "Bearer " + STACK.token(ADA))
                .header("X-App", "download=" + LARGE)
                .timeout(Duration.ofSeconds(30)).build();

        var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("transfer-encoding")).contains("chunked");
        assertThat(sha256(response.body())).isEqualTo(RecordingApp.downloadDigest(LARGE));
    }

    @Test
    void chunkedFramingOnTheWireBothWays() throws Exception {
        STACK.app().forget();
        try (RawClient client = STACK.connect()) {
            var response = client.exchange(RawClient.request("POST", "/api/echo", List.of(STACK.bearer(GRACE),
                    "X-App: echo-chunked", "Transfer-Encoding: chunked"))
                    + "5\r\nhello\r\n1;ext=1\r\n,\r\n6\r\n world\r\n0\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers()).containsEntry("transfer-encoding", "chunked");
            assertThat(response.text()).isEqualTo("hello, world");
            // the connection stays usable after a chunked exchange
            assertThat(client.exchange(RawClient.get("/api/again", List.of(STACK.bearer(ADA)))).status())
                    .isEqualTo(200);
        }
        var seen = STACK.app().next();
        assertThat(new String(seen.body())).isEqualTo("hello, world");
        assertThat(seen.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(STACK.app().next().target()).isEqualTo("/api/again");
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413BeforeAnyOfItIsSentAndNeverReachesTheApp() throws Exception {
        STACK.app().forget();
        try (RawClient client = STACK.connect()) {
            var response = client.exchange(RawClient.request("POST", "/api/upload", List.of(STACK.bearer(GRACE),
                    "Content-Length: " + (LIMIT + 1))));

            assertThat(response.status()).isEqualTo(413);
            assertThat(client.closedByServer()).isTrue();
        }
        STACK.assertAppSawNothing();
    }

    @Test
    void aChunkedBodyThatGrowsOverTheLimitIs413AndTheConnectionCloses() throws Exception {
        try (RawClient client = STACK.connect()) {
            client.send(RawClient.request("POST", "/api/upload", List.of(STACK.bearer(GRACE), "X-App: digest",
                    "Transfer-Encoding: chunked")));
            // The sidecar may answer and close while the client is still writing: write from another thread.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                byte[] chunk = ("100000\r\n" + "c".repeat(1 << 20) + "\r\n").getBytes();
                try {
                    for (long sent = 0; sent <= LIMIT; sent += 1 << 20) {
                        client.send(chunk);
                    }
                    client.send("0\r\n\r\n");
                } catch (IOException expected) {
                    // the sidecar closed the connection after its 413
                }
            });

            assertThat(client.read().status()).isEqualTo(413);
            assertThat(client.closedByServer()).isTrue();
            writing.get();
        }
    }

    @Test
    void expectContinueGetsTheInterimResponseThenTheBodyGoesThrough() throws Exception {
        STACK.app().forget();
        try (RawClient client = STACK.connect()) {
            client.send(RawClient.request("POST", "/api/echo", List.of(STACK.bearer(GRACE), "Expect: 100-continue",
                    "Content-Length: 11")));
            assertThat(client.read().status()).isEqualTo(100);
            client.send("hello world");
            var response = client.read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("hello world");
        }
        assertThat(new String(STACK.app().next().body())).isEqualTo("hello world");
    }

    @Test
    void expectContinueOnADeniedRequestIsAnsweredWithoutAskingForTheBody() throws Exception {
        STACK.app().forget();
        try (RawClient client = STACK.connect()) {
            client.send(RawClient.request("POST", "/api/echo", List.of("Expect: 100-continue", "Content-Length: 11")));
            var response = client.read();

            assertThat(response.status()).isEqualTo(401);
        }
        STACK.assertAppSawNothing();
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(3).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(InputStream in) throws IOException {
        MessageDigest digest = RecordingApp.sha256();
        try (in) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
