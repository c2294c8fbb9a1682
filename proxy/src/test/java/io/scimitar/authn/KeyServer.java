package io.scimitar.authn;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real identity provider's key endpoint and a real ALB key endpoint on loopback: {@code /jwks}
 * serves whatever key set the test publishes (or fails as told), {@code /alb/KID} serves PEMs.
 */
public final class KeyServer implements AutoCloseable {

    private final HttpServer server;
    private volatile String jwksBody = "{\"keys\":[]}";
    private volatile int jwksStatus = 200;
    private volatile String cacheControl;
    private final Map<String, String> albPems = new ConcurrentHashMap<>();
    final AtomicInteger jwksRequests = new AtomicInteger();
    final AtomicInteger albRequests = new AtomicInteger();

    public KeyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", this::jwks);
        server.createContext("/alb/", this::alb);
        server.start();
    }

    public URI jwksUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    public URI albKeyBaseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alb/");
    }

    /** Publishes the public halves of {@code keys}. */
    public void publish(List<? extends JWK> keys) {
        jwksBody = new JWKSet(List.copyOf(keys)).toPublicJWKSet().toString();
        jwksStatus = 200;
    }

    public void publishRaw(String body) {
        jwksBody = body;
        jwksStatus = 200;
    }

    /** The IdP is down: every JWKS request answers {@code status}. */
    public void fail(int status) {
        jwksStatus = status;
    }

    public void cacheControl(String value) {
        cacheControl = value;
    }

    public void publishAlbKey(String kid, PublicKey key) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        albPems.put(kid, "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksRequests.incrementAndGet();
        if (cacheControl != null) {
            exchange.getResponseHeaders().add("Cache-Control", cacheControl);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
        respond(exchange, jwksStatus, jwksBody);
    }

    private void alb(HttpExchange exchange) throws IOException {
        albRequests.incrementAndGet();
        String kid = exchange.getRequestURI().getPath().substring("/alb/".length());
        String pem = albPems.get(kid);
        respond(exchange, pem == null ? 404 : 200, pem == null ? "not found" : pem);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
