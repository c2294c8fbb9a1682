package io.scimitar.listen;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The app behind the sidecar in tests: a real HTTP server on a loopback port that records what it
 * received (method, raw target, headers, the client port) and echoes the body back, chunked when
 * the request asks with {@code X-Echo-Chunked}. {@code /stall} waits for {@link #releaseStalled()}.
 */
final class EchoApp implements AutoCloseable {

    /** One request as the app saw it; header names are lower-case. */
    record Received(String method, String target, Map<String, List<String>> headers, int clientPort, long bodyLength) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : String.join(",", values);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CountDownLatch stall = new CountDownLatch(1);

    EchoApp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The next request the app received, waiting at most five seconds. */
    Received next() throws InterruptedException {
        Received next = received.poll(5, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("the app received no request within 5 s");
        }
        return next;
    }

    void releaseStalled() {
        stall.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var headers = new TreeMap<String, List<String>>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), List.copyOf(values)));
            if (exchange.getRequestURI().getRawPath().equals("/stall")) {
                try {
                    stall.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers,
                    exchange.getRemoteAddress().getPort(), body.length));
            boolean chunked = exchange.getRequestHeaders().containsKey("X-Echo-Chunked");
            exchange.sendResponseHeaders(200, chunked ? 0 : body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        stall.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
