package io.scimitar.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The app behind the sidecar: a real HTTP server on loopback that records each request as it
 * arrived (method, raw request-target, headers, body bytes, the client's port) and answers as the
 * request's {@code X-App} header asks: {@code echo} (the default: the body back, chunked with
 * {@code X-App: echo-chunked}), {@code digest} (the body's length and SHA-256, without keeping
 * it), {@code download=N} (N deterministic bytes, chunked), or {@code hold} (waits for
 * {@link Hold#release()} before answering). A request to {@code /stall} is held as {@code hold} is.
 */
public final class RecordingApp implements AutoCloseable {

    /** Bodies up to this size are recorded whole; larger ones only by length and digest (an echo still answers all). */
    private static final int KEPT_BODY_BYTES = 1 << 20;

    /** One request as the app saw it; header names are lower-case. */
    public record Received(String method, String target, Map<String, List<String>> headers, byte[] body,
            long bodyLength, String sha256, int clientPort) {

        /** The header's values joined by commas, or null when it was not sent. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }
    }

    /** A request held by the app: {@link #arrived()} once it is there, {@link #release()} lets it answer. */
    public static final class Hold {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        public void awaitArrival() throws InterruptedException {
            if (!arrived.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the held request did not reach the app within 10 s");
            }
        }

        public void release() {
            released.countDown();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile Hold hold = new Hold();

    public RecordingApp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The hold the next {@code X-App: hold} request waits on. */
    public Hold holdNext() {
        Hold next = new Hold();
        hold = next;
        return next;
    }

    /** The next request the app received, waiting at most five seconds. */
    public Received next() throws InterruptedException {
        Received next = received.poll(5, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("the app received no request within 5 s");
        }
        return next;
    }

    /** Forgets what was received so far: a test starts from a clean record. */
    public void forget() {
        received.clear();
    }

    /** Lets the requests held by the current hold (as {@code /stall} ones are) answer. */
    public void releaseStalled() {
        hold.release();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var headers = new TreeMap<String, List<String>>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            String mode = exchange.getRequestHeaders().getFirst("X-App");
            mode = exchange.getRequestURI().getRawPath().equals("/stall") ? "hold" : mode == null ? "echo" : mode;
            Hold waiting = hold;
            if (mode.equals("hold")) {
                waiting.arrived.countDown();
                try {
                    waiting.released.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            long keep = mode.equals("digest") ? KEPT_BODY_BYTES : Long.MAX_VALUE; // an echo answers the whole body
            MessageDigest digest = sha256();
            var kept = new ByteArrayOutputStream();
            long length = 0;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    if (length + n <= keep) {
                        kept.write(buffer, 0, n);
                    }
                    length += n;
                }
            }
            String hex = HexFormat.of().formatHex(digest.digest());
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers,
                    length <= KEPT_BODY_BYTES ? kept.toByteArray() : new byte[0], length, hex,
                    exchange.getRemoteAddress().getPort()));
            respond(exchange, mode, kept.toByteArray(), length, hex);
        }
    }

    private static void respond(HttpExchange exchange, String mode, byte[] body, long length, String hex)
            throws IOException {
        if (mode.startsWith("download=")) {
            long size = Long.parseLong(mode.substring("download=".length()));
            exchange.sendResponseHeaders(200, 0); // 0: chunked
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] buffer = new byte[64 * 1024];
                for (long sent = 0; sent < size; sent += buffer.length) {
                    fill(buffer, sent);
                    out.write(buffer, 0, (int) Math.min(buffer.length, size - sent));
                }
            }
            return;
        }
        byte[] answer = mode.equals("digest") ? (length + " " + hex).getBytes(StandardCharsets.US_ASCII)
                : body;
        boolean chunked = mode.equals("echo-chunked");
        exchange.sendResponseHeaders(200, chunked ? 0 : answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    /** The bytes of a download at {@code offset}: a pattern the client recomputes, so nothing big is kept. */
    public static void fill(byte[] buffer, long offset) {
        for (int i = 0; i < buffer.length; i++) {
            long at = offset + i;
            buffer[i] = (byte) (at * 31 + (at >>> 11));
        }
    }

    /** The expected SHA-256 of a {@code download=size} body. */
    public static String downloadDigest(long size) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[64 * 1024];
        for (long sent = 0; sent < size; sent += buffer.length) {
            fill(buffer, sent);
            digest.update(buffer, 0, (int) Math.min(buffer.length, size - sent));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    @Override
    public void close() {
        hold.release();
        server.stop(0);
        executor.shutdownNow();
    }
}
