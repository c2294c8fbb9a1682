package io.scimitar.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The demo's app behind the sidecar, on loopback: answers every request with JSON saying who the
 * sidecar said the caller is ({@code X-Scimitar-*}) and which path it received.
 */
public final class SampleApp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;

    private SampleApp(HttpServer server) {
        this.server = server;
    }

    /** Serves on {@code 127.0.0.1} at a port the system picks. */
    public static SampleApp start() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the sample app on loopback", e);
        }
        server.createContext("/", SampleApp::answer);
        server.start();
        return new SampleApp(server);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
        var headers = exchange.getRequestHeaders();
        ObjectNode body = JSON.createObjectNode()
                .put("app", "scimitar demo app")
                .put("method", exchange.getRequestMethod())
                .put("path", exchange.getRequestURI().getRawPath())
                .put("user", headers.getFirst("X-Scimitar-User"))
                .put("userId", headers.getFirst("X-Scimitar-User-Id"))
                .put("groups", headers.getFirst("X-Scimitar-Groups"))
                .put("directoryVersion", headers.getFirst("X-Scimitar-Directory-Version"));
        DemoIdentityProvider.respond(exchange, 200, "application/json", body.toPrettyString() + "\n");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
