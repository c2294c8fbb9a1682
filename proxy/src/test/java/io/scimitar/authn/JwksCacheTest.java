package io.scimitar.authn;

import static io.scimitar.authn.Tokens.AUDIENCE;
import static io.scimitar.authn.Tokens.ISSUER;
import static io.scimitar.authn.Tokens.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The JWKS cache against a real endpoint on loopback: refresh, rotation, outage and the unknown-kid rate limit. */
class JwksCacheTest {

    private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");
    private static final RSAKey RSA_1 = Tokens.rsa("rsa-1");
    private static final RSAKey RSA_2 = Tokens.rsa("rsa-2");
    private static final ECKey EC_1 = Tokens.ec("ec-1");

    private final TestTime time = new TestTime(START);
    private KeyServer server;
    private JwksCache jwks;
    private JwtAuthenticator authenticator;

    @BeforeEach
    void start() throws Exception {
        server = new KeyServer();
        server.publish(List.of(RSA_1, EC_1));
        jwks = JwksCache.builder(server.jwksUrl()).clock(time).build();
        authenticator = JwtAuthenticator.builder(jwks).issuer(ISSUER).audience(AUDIENCE).clock(time).build();
    }

    @AfterEach
    void stop() {
        jwks.close();
        server.close();
    }

    @Test
    void refreshPublishesAnImmutableSnapshot() {
        assertThat(jwks.hasKeys()).isFalse();

        JwksCache.FetchResult result = jwks.refreshNow().join();

        assertThat(result).isEqualTo(new JwksCache.FetchResult(JwksCache.Status.UPDATED, 2, Duration.ofMinutes(5)));
        assertThat(jwks.hasKeys()).isTrue();
        assertThat(jwks.snapshot().keyIds()).containsExactlyInAnyOrder("rsa-1", "ec-1");
        assertThat(jwks.snapshot().fetchedAt()).isEqualTo(START);
        assertThat(server.jwksRequests).hasValue(1);
    }

    @Test
    void startFetchesAtOnce() {
        jwks.start();
        jwks.refreshNow().join(); // the fetch thread is FIFO: the start fetch has finished before this one

        assertThat(jwks.hasKeys()).isTrue();
        assertThat(server.jwksRequests).hasValue(2);
    }

    @Test
    void keyRotationReplacesTheKeys() {
        jwks.refreshNow().join();
        String oldToken = Tokens.sign(RSA_1, claims(START).build());
        String newToken = Tokens.sign(RSA_2, claims(START).build());
        assertThat(authenticator.authenticate(oldToken)).isInstanceOf(VerifiedToken.class);

        server.publish(List.of(RSA_2, EC_1));
        jwks.refreshNow().join();

        assertThat(authenticator.authenticate(newToken)).isInstanceOf(VerifiedToken.class);
        assertThat(authenticator.authenticate(oldToken)).isEqualTo(AuthResult.Rejected.of(RejectReason.UNKNOWN_KEY));
    }

    @Test
    void unknownKidTriggersOneRefetchAndRejectsThisRequest() {
        jwks.refreshNow().join();
        server.publish(List.of(RSA_1, RSA_2, EC_1)); // the IdP rotates in a new key
        String newToken = Tokens.sign(RSA_2, claims(START).build());

        assertThat(authenticator.authenticate(newToken)).isEqualTo(AuthResult.Rejected.of(RejectReason.UNKNOWN_KEY));
        // The authenticator already spent this interval's refetch: another caller gets that refetch
        // while it runs (so a request can wait for it), or "rate limited" once it ended; never a second one.
        assertThat(jwks.refetchForUnknownKey().join().status())
                .isIn(JwksCache.Status.UPDATED, JwksCache.Status.RATE_LIMITED);
        jwks.refreshNow().join(); // drains the fetch thread
        assertThat(server.jwksRequests).hasValue(3);
        assertThat(authenticator.authenticate(newToken)).isInstanceOf(VerifiedToken.class);
    }

    /**
     * The refetch a refused token starts may end before the request asks for it (a busy event loop,
     * a fast IdP): the key it brought must still get that request decided again, not refused.
     */
    @Test
    void aKeyThatArrivedBeforeTheRefusedRequestAskedStillCountsAsItsArrival() {
        jwks.refreshNow().join();
        server.publish(List.of(RSA_1, RSA_2, EC_1));
        String newToken = Tokens.sign(RSA_2, claims(START).build());
        assertThat(authenticator.authenticate(newToken)).isEqualTo(AuthResult.Rejected.of(RejectReason.UNKNOWN_KEY));
        jwks.refetchForUnknownKey().join(); // the refetch that refusal started, running or ended: ended now
        assertThat(jwks.snapshot().containsKeyId("rsa-2")).isTrue();

        CompletableFuture<?> arrival = authenticator.keyArrival(newToken);

        assertThat(arrival).as("the key arrived after the decision: decide again").isNotNull().isDone();
        assertThat(authenticator.authenticate(newToken)).isInstanceOf(VerifiedToken.class);
        // A key held before the last fetch was not why a token naming it was refused: no second look.
        String wrongAudience = Tokens.sign(RSA_1, claims(START).audience("someone-else").build());
        assertThat(authenticator.authenticate(wrongAudience))
                .isEqualTo(AuthResult.Rejected.of(RejectReason.WRONG_AUDIENCE));
        assertThat(authenticator.keyArrival(wrongAudience)).isNull();
        // A forged kid in this interval waits for nothing and fetches nothing.
        String forged = Tokens.sign(Tokens.rsa("forged"), claims(START).build());
        assertThat(authenticator.authenticate(forged)).isEqualTo(AuthResult.Rejected.of(RejectReason.UNKNOWN_KEY));
        assertThat(authenticator.keyArrival(forged)).isNull();
        assertThat(server.jwksRequests).hasValue(2); // the first fetch and the one refetch
    }

    /** A fetch that returns the keys we hold brings none: a token under them gets no second look. */
    @Test
    void aRefreshWithTheSameKeysBringsNoArrival() {
        jwks.refreshNow().join();
        assertThat(jwks.snapshot().arrived("rsa-1")).as("the first fetch brings every key").isTrue();

        jwks.refreshNow().join();

        assertThat(jwks.snapshot().arrived("rsa-1")).isFalse();
        String wrongAudience = Tokens.sign(RSA_1, claims(START).audience("someone-else").build());
        assertThat(authenticator.keyArrival(wrongAudience)).isNull();
    }

    @Test
    void unknownKidRefetchesAreRateLimited() {
        jwks.refreshNow().join();

        assertThat(jwks.refetchForUnknownKey().join().status()).isEqualTo(JwksCache.Status.UPDATED);
        List<RSAKey> forgers = List.of(Tokens.rsa("forged-0"), Tokens.rsa("forged-1"), Tokens.rsa("forged-2"));
        for (int i = 0; i < 50; i++) {
            assertThat(authenticator.authenticate(Tokens.sign(forgers.get(i % 3), claims(START).build())))
                    .isEqualTo(AuthResult.Rejected.of(RejectReason.UNKNOWN_KEY));
        }
        time.advance(Duration.ofSeconds(29));
        assertThat(jwks.refetchForUnknownKey().join().status()).isEqualTo(JwksCache.Status.RATE_LIMITED);
        time.advance(Duration.ofSeconds(1));
        assertThat(jwks.refetchForUnknownKey().join().status()).isEqualTo(JwksCache.Status.UPDATED);

        jwks.refreshNow().join();
        assertThat(server.jwksRequests).hasValue(4); // initial, two refetches, the drain: the forged kids cost nothing
    }

    @Test
    void outageKeepsTheCachedKeysAndLogsOncePerOutage() {
        String token = Tokens.sign(RSA_1, claims(START).build());
        try (CapturedLog log = new CapturedLog(JwksCache.class)) {
            jwks.refreshNow().join();

            server.fail(503);
            JwksCache.FetchResult first = jwks.refreshNow().join();
            JwksCache.FetchResult second = jwks.refreshNow().join();
            jwks.refreshNow().join();

            assertThat(first).isEqualTo(new JwksCache.FetchResult(JwksCache.Status.FAILED, 2, Duration.ofSeconds(5)));
            assertThat(second.nextRefresh()).isEqualTo(Duration.ofSeconds(10));
            assertThat(jwks.hasKeys()).isTrue();
            assertThat(authenticator.authenticate(token)).isInstanceOf(VerifiedToken.class);
            assertThat(log.count("jwks_fetch_failed")).isEqualTo(1);

            server.publish(List.of(RSA_1, EC_1));
            assertThat(jwks.refreshNow().join().status()).isEqualTo(JwksCache.Status.UPDATED);
            assertThat(log.count("jwks_fetch_recovered")).isEqualTo(1);

            server.fail(500);
            jwks.refreshNow().join();
            assertThat(log.count("jwks_fetch_failed")).isEqualTo(2);
            assertThat(log.events()).noneMatch(e -> e.getFormattedMessage().contains("eyJ"));
        }
    }

    static Stream<Arguments> badDocuments() {
        return Stream.of(
                Arguments.of("not JSON", "<html>oops</html>"),
                Arguments.of("no keys", "{\"keys\":[]}"),
                Arguments.of("only a symmetric key", "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"h\",\"k\":\"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\"}]}"),
                Arguments.of("only an encryption key", "{\"keys\":[" + RSA_2.toPublicJWK().toJSONObject().entrySet().stream()
                        .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                        .reduce((a, b) -> a + "," + b).orElseThrow() + ",\"use\":\"enc\"}]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDocuments")
    void aBadDocumentIsAFailureThatKeepsTheKeys(String name, String body) {
        jwks.refreshNow().join();
        server.publishRaw(body);

        assertThat(jwks.refreshNow().join().status()).isEqualTo(JwksCache.Status.FAILED);
        assertThat(jwks.snapshot().keyIds()).containsExactlyInAnyOrder("rsa-1", "ec-1");
    }

    @Test
    void weakAndUnusableKeysAreLeftOut() throws Exception {
        RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak").generate();
        server.publish(List.of(weak, RSA_1));

        jwks.refreshNow().join();

        assertThat(jwks.snapshot().keyIds()).containsExactly("rsa-1");
        assertThat(jwks.snapshot().skipped()).singleElement().asString().contains("kid=weak", "1024 bits");
    }

    @ParameterizedTest(name = "Cache-Control: {0} -> next refresh in {1}")
    @CsvSource(delimiter = '|', textBlock = """
            max-age=60                 | PT1M
            public, max-age=120        | PT2M
            max-age=5                  | PT30S
            no-cache                   | PT30S
            max-age=86400              | PT5M
            max-age=oops               | PT5M
            """)
    void maxAgeShortensTheRefreshWithinBounds(String cacheControl, Duration expected) {
        server.cacheControl(cacheControl);

        assertThat(jwks.refreshNow().join().nextRefresh()).isEqualTo(expected);
    }

    @Test
    void aClosedCacheAnswersWithoutThrowing() {
        jwks.refreshNow().join();
        jwks.close();

        assertThat(jwks.refreshNow().join().status()).isEqualTo(JwksCache.Status.FAILED);
        assertThat(authenticator.authenticate(Tokens.sign(RSA_2, claims(START).build())))
                .isEqualTo(AuthResult.Rejected.of(RejectReason.UNKNOWN_KEY));
        assertThat(jwks.hasKeys()).isTrue();
    }

    @Test
    void maxAgeParsing() {
        assertThat(KeyEndpoint.maxAge("max-age=\"30\"")).contains(Duration.ofSeconds(30));
        assertThat(KeyEndpoint.maxAge("private")).isEqualTo(Optional.empty());
    }
}
