package io.scimitar.demo;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The demo's stand-in for an identity provider, on loopback only: a fresh ES256 signing key per
 * process, its JWKS at {@code /jwks.json}, and {@code /token?email=…} minting a one-hour token for
 * anyone who asks. It exists so the demo runs with no IdP account; never run it anywhere else.
 */
public final class DemoIdentityProvider implements AutoCloseable {

    /** The audience the demo's tokens carry and the demo sidecar requires. */
    public static final String AUDIENCE = "scimitar-demo";
    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    private final ECKey key;
    private final HttpServer server;

    private DemoIdentityProvider(ECKey key, HttpServer server) {
        this.key = key;
        this.server = server;
    }

    /** Generates the signing key and serves on {@code 127.0.0.1} at a port the system picks. */
    public static DemoIdentityProvider start() {
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyID("demo-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the demo signing key", e);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the demo identity provider on loopback", e);
        }
        var idp = new DemoIdentityProvider(key, server);
        server.createContext("/jwks.json", idp::jwks);
        server.createContext("/token", idp::token);
        server.start();
        return idp;
    }

    /** The issuer URL, which is also where the JWKS and tokens are served. */
    public URI issuer() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI jwksUrl() {
        return URI.create(issuer() + "/jwks.json");
    }

    /** A signed token for {@code email}, valid for an hour. */
    public String mint(String email) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer().toString())
                .audience(AUDIENCE)
                .subject(email)
                .claim("email", email)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a demo token", e);
        }
        return jwt.serialize();
    }

    private void jwks(HttpExchange exchange) throws IOException {
        respond(exchange, 200, "application/json", new JWKSet(key.toPublicJWK()).toString());
    }

    private void token(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String email = null;
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("email=")) {
                    email = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8).strip();
                }
            }
        }
        if (email == null || email.isEmpty() || email.length() > 256) {
            respond(exchange, 400, "text/plain", "expected /token?email=someone@example.com\n");
            return;
        }
        respond(exchange, 200, "text/plain", mint(email));
    }

    static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
