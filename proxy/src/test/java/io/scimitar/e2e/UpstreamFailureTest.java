package io.scimitar.e2e;

import io.scimitar.testing.RawClient;
import static io.scimitar.e2e.SidecarFixture.ADA;
import static io.scimitar.e2e.SidecarFixture.GRACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An app that misbehaves: not listening (502), too slow to answer (504, with a 300 ms
 * response-headers timeout), resetting the connection mid-response (the client's connection is
 * closed, never a truncated body dressed as complete). After each the sidecar keeps serving.
 */
class UpstreamFailureTest {

    private static final FaultyApp FAULTY = new FaultyApp();

    @RegisterExtension
    static final SidecarFixture STACK = SidecarFixture.standard()
            .with("SCIMITAR_UPSTREAM", "http://127.0.0.1:" + FAULTY.port())
            .with("SCIMITAR_TIMEOUTS_RESPONSE_HEADERS", "300ms")
            .with("SCIMITAR_TIMEOUTS_CONNECT", "1s");

    @AfterAll
    static void stopApp() {
        FAULTY.close();
    }

    @Test
    void anAppTooSlowToAnswerIs504AndTheSidecarKeepsServing() throws Exception {
        double timeoutsBefore = upstreamErrors("timeout");
        try (RawClient client = STACK.connect()) {
            var response = client.exchange(RawClient.get("/api/slow", List.of(STACK.bearer(ADA))));

            assertThat(response.status()).isEqualTo(504);
            assertThat(response.body()).isEmpty();
            assertThat(upstreamErrors("timeout")).isEqualTo(timeoutsBefore + 1);
        } finally {
            FAULTY.releaseSlow();
        }
        assertKeepsServing();
    }

    @Test
    void anAppThatResetsMidResponseClosesTheClientConnection() throws Exception {
        double cutBefore = upstreamErrors("reset_mid_response");
        try (RawClient client = STACK.connect()) {
            client.send(RawClient.get("/api/reset", List.of(STACK.bearer(ADA))));

            assertThatThrownBy(client::read).as("the client sees the connection cut, not a complete response")
                    .isInstanceOf(IOException.class);
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(upstreamErrors("reset_mid_response")).isEqualTo(cutBefore + 1);
        assertKeepsServing();
    }

    @Test
    void anAppNotListeningIs502AndTheSidecarKeepsServing() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (var down = SidecarFixture.standard().with("SCIMITAR_UPSTREAM", "http://127.0.0.1:" + closedPort).start();
                RawClient client = down.connect()) {
            var response = client.exchange(RawClient.get("/api/x", List.of(down.bearer(ADA))));

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.body()).isEmpty();
            assertThat(client.exchange(RawClient.get("/api/x", List.of())).status())
                    .as("the same connection, still decided").isEqualTo(401);
            assertThat(client.exchange(RawClient.get("/healthz", List.of())).status()).isEqualTo(502);
            assertThat(down.admin("/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aRequestOnAKeepAliveConnectionTheAppClosedAsItWasSentIsRetriedOnANewOne() throws Exception {
        double retriedBefore = upstreamErrors("stale_connection_retried");
        try (RawClient client = STACK.connect()) {
            // The app answers, keeps the connection, reads the next request and closes without a word,
            // as an app does whose keep-alive timeout fires just as the sidecar reuses the connection.
            assertThat(client.exchange(RawClient.get("/api/drop-next", List.of(STACK.bearer(ADA)))).status())
                    .isEqualTo(200);
            var retried = client.exchange(RawClient.get("/api/ok", List.of(STACK.bearer(ADA))));

            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.text()).isEqualTo("ok");
        }
        assertThat(upstreamErrors("stale_connection_retried")).isEqualTo(retriedBefore + 1);
    }

    @Test
    void aRequestWithABodyIsNotSentTwice() throws Exception {
        double resetsBefore = upstreamErrors("reset");
        try (RawClient client = STACK.connect()) {
            assertThat(client.exchange(RawClient.get("/api/drop-next", List.of(STACK.bearer(ADA)))).status())
                    .isEqualTo(200);
            var post = client.exchange("PUT /api/things HTTP/1.1\r\nHost: app\r\n" + STACK.bearer(GRACE)
                    + "\r\nContent-Length: 5\r\n\r\nhello");

            assertThat(post.status()).as("the app may have acted on it: not sent again").isEqualTo(502);
        }
        assertThat(upstreamErrors("reset")).isEqualTo(resetsBefore + 1);
    }

    /** {@code scimitar_upstream_errors_total} for {@code kind}, 0 before the first. */
    private static double upstreamErrors(String kind) {
        String prefix = "scimitar_upstream_errors_total{kind=\"" + kind + "\"} ";
        return STACK.admin("/metrics").body().lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()))).findFirst().orElse(0);
    }

    /** A well-behaved request right after a failure is answered by the app. */
    private static void assertKeepsServing() throws IOException {
        var response = STACK.get("/api/ok", STACK.bearer(ADA));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("ok");
    }

    /**
     * An app written on raw sockets, so it can misbehave: {@code /api/slow} never answers until
     * released, {@code /api/reset} sends headers and half its body then resets the connection
     * (SO_LINGER 0), anything else is {@code 200 ok}.
     */
    private static final class FaultyApp implements AutoCloseable {
        private final ServerSocket server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final CountDownLatch slow = new CountDownLatch(1);

        FaultyApp() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            threads.execute(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        void releaseSlow() {
            slow.countDown();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.execute(() -> serve(socket));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                for (String head; (head = readHead(in)) != null; ) {
                    String target = head.split(" ", 3)[1];
                    switch (target) {
                        case "/api/slow" -> {
                            slow.await(30, TimeUnit.SECONDS);
                            return;
                        }
                        case "/api/reset" -> {
                            socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                                    + "x".repeat(400)).getBytes(StandardCharsets.US_ASCII));
                            socket.getOutputStream().flush();
                            socket.setSoLinger(true, 0);
                            return;
                        }
                        case "/api/drop-next" -> {
                            socket.getOutputStream().write(
                                    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                            socket.getOutputStream().flush();
                            readHead(in);
                            return; // closes with the next request unanswered
                        }
                        default -> socket.getOutputStream().write(
                                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    }
                }
            } catch (IOException e) {
                // the sidecar closed its side: nothing more to serve
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The request head up to its empty line (these requests have no body), or null at end of stream. */
        private static String readHead(InputStream in) throws IOException {
            var head = new ByteArrayOutputStream();
            int matched = 0;
            for (int b; (b = in.read()) != -1; ) {
                head.write(b);
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    return head.toString(StandardCharsets.ISO_8859_1);
                }
            }
            return null;
        }

        @Override
        public void close() {
            slow.countDown();
            try {
                server.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            threads.shutdownNow();
        }
    }
}
