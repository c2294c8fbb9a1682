package io.scimitar.listen;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client (java.net.http) for tests: whole messages (text as String, binary as
 * byte[]) arrive in a queue, and {@link #ended()} completes when the connection closes either way.
 */
public final class WebSocketClient implements WebSocket.Listener, AutoCloseable {

    /**
     * How the connection ended: a Close frame's status code, 1006 when the TCP connection closed
     * without one (RFC 6455 §7.1.5), or -1 and the error.
     */
    public record Ended(int statusCode, Throwable error) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Ended> ended = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private WebSocket socket;

    private WebSocketClient() {
    }

    /** Opens {@code ws://127.0.0.1:port/path} with the headers given as name, value pairs. */
    public static WebSocketClient open(int port, String path, String... headers) throws Exception {
        var client = new WebSocketClient();
        client.socket = builder(headers).buildAsync(URI.create("ws://127.0.0.1:" + port + path), client)
                .get(10, TimeUnit.SECONDS);
        return client;
    }

    /** The status the server answered a handshake it refused with; fails if the handshake succeeded. */
    public static int refusedStatus(int port, String path, String... headers) throws Exception {
        try {
            WebSocket opened = builder(headers).buildAsync(URI.create("ws://127.0.0.1:" + port + path),
                    new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
            opened.abort();
            throw new AssertionError("the handshake to " + path + " succeeded");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static WebSocket.Builder builder(String... headers) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    WebSocket socket() {
        return socket;
    }

    public void sendText(String message) {
        socket.sendText(message, true).join();
    }

    void sendBinary(byte[] message) {
        socket.sendBinary(ByteBuffer.wrap(message), true).join();
    }

    /** The next whole message, waiting at most ten seconds. */
    public Object next() throws InterruptedException {
        Object next = messages.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no message within 10 s");
        }
        return next;
    }

    /** Sends {@code message} and returns the echo. */
    public String echo(String message) throws InterruptedException {
        sendText(message);
        return (String) next();
    }

    public CompletableFuture<Ended> ended() {
        return ended;
    }

    /** How the connection ended, waiting at most {@code seconds}. */
    public Ended awaitEnd(int seconds) throws InterruptedException, ExecutionException {
        try {
            return ended.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the WebSocket was still open after " + seconds + " s", e);
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(text.toString());
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] part = new byte[data.remaining()];
        data.get(part);
        binary.writeBytes(part);
        if (last) {
            messages.add(binary.toByteArray());
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        ended.complete(new Ended(statusCode, null));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        ended.complete(new Ended(-1, error instanceof CompletionException c ? c.getCause() : error));
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
