package io.scimitar.scim.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.service.ScimService;
import io.scimitar.scim.service.SqliteDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A real {@link ScimServer} on a loopback port 0 over the real directory (a {@link SqliteDirectory}
 * of its own), and the HTTP client the tests talk to it with. The e2e {@code ReceiverFixture} runs
 * on it too, so the server's start, close and send code is written once.
 */
public final class RunningScimServer implements AutoCloseable {

    static final String TOKEN = "test-token-5f1c0d2e9a";

    final ScimServer server;
    final SqliteDirectory directory;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private RunningScimServer(ScimServer server, SqliteDirectory directory) {
        this.server = server;
        this.directory = directory;
    }

    static RunningScimServer start() {
        return start(b -> b);
    }

    static RunningScimServer start(UnaryOperator<ScimServerSettings.Builder> settings) {
        return start(BearerTokens.of(TOKEN), settings);
    }

    public static RunningScimServer start(BearerTokens tokens, UnaryOperator<ScimServerSettings.Builder> settings) {
        return start(tokens, settings, service -> service);
    }

    /** Like {@link #start(UnaryOperator)}, with the server in front of {@code around} the directory's service. */
    static RunningScimServer start(UnaryOperator<ScimServerSettings.Builder> settings,
            UnaryOperator<ScimService> around) {
        return start(BearerTokens.of(TOKEN), settings, around);
    }

    private static RunningScimServer start(BearerTokens tokens, UnaryOperator<ScimServerSettings.Builder> settings,
            UnaryOperator<ScimService> around) {
        ScimServerSettings built = settings.apply(ScimServerSettings.builder(tokens).host("127.0.0.1").port(0)).build();
        SqliteDirectory directory = SqliteDirectory.openTemporary();
        try {
            return new RunningScimServer(new ScimServer(built, around.apply(directory.service())).start(), directory);
        } catch (RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** A request builder for {@code path} under the base path, authenticated with the test token. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri("/scim/v2" + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN);
    }

    public HttpResponse<String> send(HttpRequest request) {
        return send(client, request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} with {@code client}, failing unchecked if it cannot. */
    public static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return client.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> send(String method, String path, String body) {
        return send(request(path).header("Content-Type", "application/scim+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    /** Sends raw bytes and returns everything the server answers until it closes the connection. */
    String raw(String request) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory version of the last committed change (the change log's head). */
    public long directoryVersion() {
        return directory.version();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            directory.close();
        }
    }
}
