package io.scimitar.authn;

import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@link RequestAuthenticator} as the request path builds one, on test time: JWT verification
 * against a real JWKS endpoint on loopback, in front of a {@link VerifiedTokenCache}.
 */
final class VerifyingAuthenticator implements AutoCloseable {

    final KeyServer server = new KeyServer();
    final JwksCache jwks;
    final VerifiedTokenCache cache;
    final RequestAuthenticator authenticator;

    /** With {@code key} published and fetched, tokens taken as {@code extractor} takes them. */
    VerifyingAuthenticator(TestTime time, RSAKey key, TokenExtractor extractor) throws IOException {
        server.publish(List.of(key));
        jwks = JwksCache.builder(server.jwksUrl()).clock(time).build();
        jwks.refreshNow().join();
        cache = new VerifiedTokenCache(1_000, Duration.ofMinutes(10), time, time);
        JwtAuthenticator jwt = JwtAuthenticator.builder(jwks).issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE)
                .clock(time).build();
        authenticator = new RequestAuthenticator(extractor, Optional.of(jwt), Optional.empty(), cache);
    }

    /** Publishes exactly {@code keys} and has the cache fetch them now. */
    void publish(RSAKey... keys) {
        server.publish(List.of(keys));
        jwks.refreshNow().join();
    }

    @Override
    public void close() {
        jwks.close();
        server.close();
    }
}
