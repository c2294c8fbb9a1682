package io.scimitar.scim.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.scimitar.scim.http.BearerTokens;
import io.scimitar.scim.http.RunningScimServer;
import io.scimitar.scim.http.ScimServerSettings;
import io.scimitar.scim.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The receiver as it runs in production: the directory (JDBC store on a SQLite file in a temp
 * dir, behind the SCIM service) and the Netty server on 127.0.0.1, port 0, with a bearer token
 * (a {@link RunningScimServer}). Tests talk to it over real HTTP, through {@link #send} or a SCIM
 * client, with IdP-shaped paths and answers read as a {@link Reply}.
 */
public final class ReceiverFixture implements AutoCloseable {

    public static final String TOKEN = "e2e-token-3b9f6a1c0d7e42f8a5c1";
    public static final String BASE_PATH = "/scim/v2";

    private final RunningScimServer server;

    private ReceiverFixture(RunningScimServer server) {
        this.server = server;
    }

    /** Starts a fresh, empty receiver with the default settings. */
    public static ReceiverFixture start() {
        return start(ScimServerSettings.DEFAULT_MAX_BODY_BYTES);
    }

    public static ReceiverFixture start(int maxBodyBytes) {
        return new ReceiverFixture(RunningScimServer.start(BearerTokens.of(TOKEN), b -> b.maxBodyBytes(maxBodyBytes)));
    }

    /** The SCIM base URL, e.g. {@code http://127.0.0.1:40123/scim/v2}. */
    public URI baseUrl() {
        return server.uri(BASE_PATH);
    }

    public String token() {
        return TOKEN;
    }

    /** The directory version of the last committed change (the change log's head). */
    public long directoryVersion() {
        return server.directoryVersion();
    }

    /** An authenticated request to {@code path} (relative to the base URL, query included). */
    public Reply send(String method, String path, String jsonBody) {
        return send(method, path, jsonBody, Map.of("Content-Type", "application/scim+json"));
    }

    /** Like {@link #send(String, String, String)} with the given headers and the bearer token. */
    public Reply send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path).header("Authorization", "Bearer " + TOKEN);
        headers.forEach(request::header);
        return exchange(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A request builder for {@code path} without any header: the caller decides on auth. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + encodeQuery(path))).timeout(Duration.ofSeconds(20));
    }

    public Reply exchange(HttpRequest request) {
        HttpResponse<String> response = server.send(request);
        return new Reply(response.statusCode(), response.headers(), response.body());
    }

    /** Percent-encodes what an IdP's HTTP stack would (spaces, quotes) so the replays can keep readable paths. */
    static String encodeQuery(String path) {
        int q = path.indexOf('?');
        if (q < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.substring(0, q + 1));
        for (char c : path.substring(q + 1).toCharArray()) {
            switch (c) {
                case ' ' -> out.append("%20");
                case '"' -> out.append("%22");
                case '[' -> out.append("%5B");
                case ']' -> out.append("%5D");
                case '#' -> out.append("%23");
                case '@' -> out.append("%40");
                case '+' -> out.append("%2B");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.close();
    }

    /** One HTTP answer: status, headers, the raw body, and the body parsed as JSON (missing when empty). */
    public record Reply(int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            if (body == null || body.isBlank()) {
                return MissingNode.getInstance();
            }
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        public JsonNode at(String pointer) {
            return json().at(pointer);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
