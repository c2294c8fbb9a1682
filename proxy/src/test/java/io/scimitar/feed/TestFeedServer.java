package io.scimitar.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.store.Change;
import io.scimitar.scim.store.ChangeCodec;
import io.scimitar.scim.feed.SnapshotEncoder;
import io.scimitar.scim.store.JdbcStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A feed server per docs/feed.md over a real {@link JdbcStore} and its change log, on loopback
 * with the JDK's HTTP server: the snapshot (gzip when asked) and the endless chunked change stream
 * with heartbeats, one flushed line at a time. It stands in for the receiver's feed
 * ({@code io.scimitar.scim.feed}, built in parallel) until the fleet's integration test replaces
 * it. Tests can break it the ways a real one breaks: cut its streams, skip or garble a change,
 * truncate a snapshot, stop heartbeats, answer another status, refuse a few requests with
 * {@code 503} and {@code Retry-After}, or forget old versions (410).
 */
public final class TestFeedServer implements AutoCloseable {

    /** The feed token this server accepts. */
    public static final String TOKEN = "feed-token-0123456789abcdef";

    /** One request as served: its target and the status it got. */
    public record Served(String target, int status, boolean gzip) {
    }

    private static final Change CUT = new Change(-1, Instant.EPOCH, List.of());

    private final JdbcStore store;
    private final Duration heartbeatInterval;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Served> served = new CopyOnWriteArrayList<>();
    /** {@link System#nanoTime()} when each of {@link #served} arrived, in the same order. */
    private final List<Long> servedAt = new CopyOnWriteArrayList<>();
    private final Set<BlockingQueue<Change>> streams = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean truncateNextSnapshot = new AtomicBoolean();
    private final AtomicBoolean garbleNextChange = new AtomicBoolean();
    private final AtomicBoolean skipNextChange = new AtomicBoolean();
    private final AtomicInteger refusals = new AtomicInteger();
    private volatile String refusalRetryAfter = "";
    private volatile boolean heartbeats = true;
    private volatile int changesStatus = 200;
    private volatile long compactedThrough;
    private volatile boolean closed;

    /** Serves {@code store}'s directory, with a heartbeat every {@code heartbeatInterval} of silence. */
    public TestFeedServer(JdbcStore store, Duration heartbeatInterval) throws IOException {
        this.store = store;
        this.heartbeatInterval = heartbeatInterval;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor); // a change stream holds its thread for as long as it is open
        server.createContext("/feed/v1/snapshot", this::snapshot);
        server.createContext("/feed/v1/changes", this::changes);
        server.start();
    }

    /** The base URL a sidecar is configured with. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request so far, in order. */
    public List<Served> served() {
        return List.copyOf(served);
    }

    /** When each request of {@link #served()} arrived ({@link System#nanoTime()}), in the same order. */
    public List<Long> servedAt() {
        return List.copyOf(servedAt);
    }

    /** How many change streams are open now. */
    public int openStreams() {
        return streams.size();
    }

    public void pauseHeartbeats() {
        heartbeats = false;
    }

    public void resumeHeartbeats() {
        heartbeats = true;
    }

    /** Answers every change request with {@code status} (200: serve them again). */
    public void answerChangesWith(int status) {
        changesStatus = status;
    }

    /** The next {@code count} snapshot or change requests answer 503 with {@code Retry-After: retryAfter}. */
    public void refuseNext(int count, String retryAfter) {
        refusalRetryAfter = retryAfter;
        refusals.set(count);
    }

    /** The log no longer holds versions up to {@code version}: {@code after} below it answers 410. */
    public void compactThrough(long version) {
        compactedThrough = version;
    }

    /** The next snapshot stops after its users, without its {@code end} line. */
    public void truncateNextSnapshot() {
        truncateNextSnapshot.set(true);
    }

    /** The next change is sent as half a line. */
    public void garbleNextChange() {
        garbleNextChange.set(true);
    }

    /** The next change is not sent at all (a gap). */
    public void skipNextChange() {
        skipNextChange.set(true);
    }

    /** Cuts every open change stream mid-response, without the chunked terminator (a receiver that died). */
    public void cutStreams() {
        streams.forEach(queue -> queue.add(CUT));
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        if (("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        record(new Served(exchange.getRequestURI().toString(), 401, false));
        exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
        respond(exchange, 401, "");
        return false;
    }

    /** Answers 503 with {@code Retry-After} when {@link #refuseNext} asked for it; whether it did. */
    private boolean refused(HttpExchange exchange) throws IOException {
        if (refusals.getAndUpdate(left -> Math.max(0, left - 1)) == 0) {
            return false;
        }
        record(new Served(exchange.getRequestURI().toString(), 503, false));
        exchange.getResponseHeaders().add("Retry-After", refusalRetryAfter);
        respond(exchange, 503, "{\"status\":503}");
        return true;
    }

    private synchronized void record(Served request) {
        servedAt.add(System.nanoTime());
        served.add(request);
    }

    private void snapshot(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange) || refused(exchange)) {
                return;
            }
            String acceptEncoding = exchange.getRequestHeaders().getFirst("Accept-Encoding");
            boolean gzip = acceptEncoding != null && acceptEncoding.contains("gzip");
            record(new Served(exchange.getRequestURI().toString(), 200, gzip));
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            if (gzip) {
                exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            }
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = gzip ? new GZIPOutputStream(exchange.getResponseBody(), 8192)
                    : exchange.getResponseBody()) {
                // The receiver's own encoder, so this stand-in speaks the real wire form.
                var encoder = new SnapshotEncoder(out, version -> { });
                store.streamSnapshot(encoder);
                if (!truncateNextSnapshot.compareAndSet(true, false)) {
                    encoder.finish();
                }
            }
        }
    }

    private void changes(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String target = exchange.getRequestURI().toString();
        if (!authorized(exchange) || refused(exchange)) {
            exchange.close();
            return;
        }
        long current = store.changeLog().currentVersion();
        long after;
        try {
            after = Long.parseLong(query == null || !query.startsWith("after=") ? "" : query.substring("after=".length()));
        } catch (NumberFormatException e) {
            after = -1;
        }
        int status = changesStatus != 200 ? changesStatus
                : after < 0 || after > current ? 400
                : after < compactedThrough ? 410
                : 200;
        record(new Served(target, status, false));
        if (status != 200) {
            try (exchange) {
                respond(exchange, status, "{\"status\":" + status + "}");
            }
            return;
        }
        BlockingQueue<Change> queue = new LinkedBlockingQueue<>();
        try (AutoCloseable subscription = store.changeLog().subscribe(queue::add)) {
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.flush(); // the headers now: a stream cut before its first line must not look like no answer at all
            streams.add(queue); // only now can a cut reach a client that has its answer
            long last = after;
            for (Change change : store.changeLog().readAfter(after, Integer.MAX_VALUE)) {
                last = send(out, change, last);
            }
            while (!closed) {
                Change next = queue.poll(heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
                if (next == CUT) {
                    // Unwinding with an exception makes the JDK server drop the connection without
                    // the last chunk: the client sees a cut, not an end.
                    throw new IOException("cut by the test");
                }
                if (next != null) {
                    last = send(out, next, last);
                } else if (heartbeats) {
                    line(out, Json.object().put("type", "heartbeat").put("version", last));
                }
            }
            exchange.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            streams.remove(queue);
        }
    }

    /** Sends {@code change} unless it was already sent; the highest version this stream has passed. */
    private long send(OutputStream out, Change change, long last) throws IOException {
        if (change.version() <= last) {
            return last; // in both the backlog and the subscription
        }
        if (skipNextChange.compareAndSet(true, false)) {
            return change.version();
        }
        ObjectNode line = Json.object().put("type", "change");
        line.setAll(ChangeCodec.toJson(change));
        if (garbleNextChange.compareAndSet(true, false)) {
            String text = line.toString();
            out.write((text.substring(0, text.length() / 2) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return change.version();
        }
        line(out, line);
        return change.version();
    }

    private static void line(OutputStream out, ObjectNode line) throws IOException {
        out.write((line.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Stops serving at once, cutting every open stream (a receiver killed mid-stream). */
    @Override
    public void close() {
        closed = true;
        cutStreams();
        server.stop(0);
        executor.shutdownNow();
    }
}
