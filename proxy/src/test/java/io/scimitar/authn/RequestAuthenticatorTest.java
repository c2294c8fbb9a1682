package io.scimitar.authn;

import static io.scimitar.authn.Tokens.claims;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Extraction, the verified-token cache and verification together, as the pipeline will call them. */
class RequestAuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final RSAKey RSA_1 = Tokens.rsa("rsa-1");
    private static final RSAKey RSA_2 = Tokens.rsa("rsa-2");

    private final TestTime time = new TestTime(NOW);
    private VerifyingAuthenticator verifying;
    private VerifiedTokenCache cache;
    private RequestAuthenticator authenticator;

    @BeforeEach
    void start() throws Exception {
        verifying = new VerifyingAuthenticator(time, RSA_1, TokenExtractor.builder().build());
        cache = verifying.cache;
        authenticator = verifying.authenticator;
    }

    @AfterEach
    void stop() {
        verifying.close();
    }

    private AuthResult request(String token) {
        return authenticator.authenticate(RequestHeaders.of(new DefaultHttpHeaders().add("Authorization", "Bearer " + token)));
    }

    @Test
    void aSecondRequestIsAnsweredFromTheCacheWithoutSignatureWork() {
        String token = Tokens.sign(RSA_1, claims(NOW).build());
        AuthResult first = request(token);

        // Withdraw the key: only a cache hit can still accept the token.
        verifying.publish(RSA_2);

        assertThat(request(token)).isSameAs(first).isInstanceOf(VerifiedToken.class);
        assertThat(cache.stats().hitCount()).isEqualTo(1);
        assertThat(request(Tokens.sign(RSA_1, claims(NOW).subject("other").build())))
                .isEqualTo(AuthResult.Rejected.of(RejectReason.UNKNOWN_KEY));
    }

    @Test
    void rejectionsAreNotCached() {
        String token = Tokens.sign(RSA_2, claims(NOW).build());
        assertThat(request(token)).isEqualTo(AuthResult.Rejected.of(RejectReason.UNKNOWN_KEY));

        verifying.publish(RSA_1, RSA_2);

        assertThat(request(token)).isInstanceOf(VerifiedToken.class);
    }

    @Test
    void aCachedTokenStopsWorkingAtItsExp() {
        String token = Tokens.sign(RSA_1, claims(NOW).expirationTime(java.util.Date.from(NOW.plusSeconds(60))).build());
        assertThat(request(token)).isInstanceOf(VerifiedToken.class);

        time.advance(Duration.ofSeconds(90)); // past exp + the 30 s skew

        assertThat(request(token)).isEqualTo(AuthResult.Rejected.of(RejectReason.EXPIRED));
    }

    @Test
    void extractionFailuresComeThroughAsRejections() {
        assertThat(authenticator.authenticate(RequestHeaders.of(new DefaultHttpHeaders())))
                .isEqualTo(AuthResult.Rejected.of(RejectReason.MISSING));
    }

    @Test
    void anAlbTokenWithoutAnAlbVerifierIsMissing() {
        assertThat(authenticator.authenticate("a.b.c", TokenFormat.ALB_OIDC_DATA))
                .isEqualTo(AuthResult.Rejected.of(RejectReason.MISSING));
    }
}
