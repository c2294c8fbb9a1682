package io.scimitar.authn;

import static io.scimitar.authn.Tokens.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The request path's cache keyed by the raw header value: a hit needs the exact value from the same
 * source, and nothing the extractor would refuse is ever answered from it. Each test verifies a
 * token, then withdraws its key, so that only a cache hit can still accept it.
 */
class HeaderKeyedCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final RSAKey RSA_1 = Tokens.rsa("rsa-1");
    private static final RSAKey RSA_2 = Tokens.rsa("rsa-2");
    private static final AuthResult MALFORMED = AuthResult.Rejected.of(RejectReason.MALFORMED);
    private static final AuthResult UNKNOWN_KEY = AuthResult.Rejected.of(RejectReason.UNKNOWN_KEY);

    private final TestTime time = new TestTime(NOW);
    private VerifyingAuthenticator verifying;
    private VerifiedTokenCache cache;
    private RequestAuthenticator authenticator;
    private String token;

    @BeforeEach
    void start() throws Exception {
        TokenExtractor extractor = TokenExtractor.builder().cookie(Optional.of("session")).build();
        verifying = new VerifyingAuthenticator(time, RSA_1, extractor);
        cache = verifying.cache;
        authenticator = verifying.authenticator;
        token = Tokens.sign(RSA_1, claims(NOW).build());
    }

    @AfterEach
    void stop() {
        verifying.close();
    }

    private void withdrawKey() {
        verifying.publish(RSA_2);
    }

    private AuthResult request(String... nameValuePairs) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            headers.add(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return authenticator.authenticate(RequestHeaders.of(headers));
    }

    @Test
    void theSameHeaderValueIsAHit() {
        AuthResult first = request("Authorization", "Bearer " + token);
        assertThat(first).isInstanceOf(VerifiedToken.class);
        withdrawKey();

        assertThat(request("Authorization", "Bearer " + token)).isSameAs(first);
        assertThat(cache.stats().hitCount()).isEqualTo(1);
    }

    /** The extractor accepts each of these spellings; each is its own key, verified on its own. */
    @ParameterizedTest
    @ValueSource(strings = {"bearer %s", "BEARER %s", "Bearer  %s", "Bearer %s "})
    void anotherSpellingOfTheSameTokenIsAMiss(String spelling) {
        assertThat(request("Authorization", spelling.formatted(token))).isInstanceOf(VerifiedToken.class);
        withdrawKey();

        assertThat(request("Authorization", "Bearer " + token)).isEqualTo(UNKNOWN_KEY);
        assertThat(cache.stats().hitCount()).isZero();
    }

    @Test
    void theSameTokenFromAnotherSourceIsAMiss() {
        assertThat(request("Authorization", "Bearer " + token)).isInstanceOf(VerifiedToken.class);
        withdrawKey();

        assertThat(request("Cookie", "session=" + token)).isEqualTo(UNKNOWN_KEY);
    }

    @Test
    void aCookieHeaderValueIsAHitOnlyAsACookie() {
        AuthResult first = request("Cookie", "theme=dark; session=" + token);
        assertThat(first).isInstanceOf(VerifiedToken.class);
        withdrawKey();

        assertThat(request("Cookie", "theme=dark; session=" + token)).isSameAs(first);
        assertThat(request("Cookie", "theme=light; session=" + token)).isEqualTo(UNKNOWN_KEY);
        // A bare-token lookup never sees a header-keyed entry, nor the reverse.
        assertThat(cache.find("theme=dark; session=" + token, TokenFormat.IDP_JWT)).isNull();
        assertThat(authenticator.authenticate(token, TokenFormat.IDP_JWT)).isEqualTo(UNKNOWN_KEY);
    }

    @Test
    void aRepeatedAuthorizationHeaderIsRefusedEvenWhenItsValueIsCached() {
        assertThat(request("Authorization", "Bearer " + token)).isInstanceOf(VerifiedToken.class);

        assertThat(request("Authorization", "Bearer " + token, "Authorization", "Bearer " + token)).isEqualTo(MALFORMED);
    }

    @Test
    void aRepeatedCookieIsRefusedEvenWhenOneHeaderIsCached() {
        assertThat(request("Cookie", "session=" + token)).isInstanceOf(VerifiedToken.class);

        assertThat(request("Cookie", "session=" + token, "Cookie", "session=" + token)).isEqualTo(MALFORMED);
        assertThat(request("Cookie", "session=" + token, "Cookie", "session=other")).isEqualTo(MALFORMED);
    }

    @Test
    void aCookieSplitOverTwoHeadersIsVerifiedByItsToken() {
        AuthResult split = request("Cookie", "theme=dark", "Cookie", "session=" + token);
        assertThat(split).isInstanceOf(VerifiedToken.class);
        withdrawKey();

        assertThat(request("Cookie", "session=" + token, "Cookie", "theme=light")).isSameAs(split);
    }

    @Test
    void aCachedCookieDoesNotAnswerForABadAuthorizationHeader() {
        assertThat(request("Cookie", "session=" + token)).isInstanceOf(VerifiedToken.class);

        // Authorization comes first and decides; the cached cookie is never consulted.
        assertThat(request("Authorization", "Basic dXNlcjpwYXNz", "Cookie", "session=" + token)).isEqualTo(MALFORMED);
    }

    @Test
    void aHitStillEndsAtTheTokensExp() {
        String shortLived = Tokens.sign(RSA_1, claims(NOW).expirationTime(java.util.Date.from(NOW.plusSeconds(60))).build());
        assertThat(request("Authorization", "Bearer " + shortLived)).isInstanceOf(VerifiedToken.class);

        time.advance(Duration.ofSeconds(90));

        assertThat(request("Authorization", "Bearer " + shortLived))
                .isEqualTo(AuthResult.Rejected.of(RejectReason.EXPIRED));
    }

    @Test
    void aHeaderEntryMatchesOnlyItsOwnSource() {
        VerifiedToken verified = new VerifiedToken("ada@example.com", NOW.plusSeconds(60), TokenFormat.IDP_JWT, "00");
        cache.putHeader("v", TokenSource.AUTHORIZATION_HEADER, verified);

        assertThat(cache.findHeader("v", TokenSource.AUTHORIZATION_HEADER)).isSameAs(verified);
        assertThat(cache.findHeader("v", TokenSource.COOKIE)).isNull();
        assertThat(cache.findHeader("v", TokenSource.ALB_OIDC_DATA)).isNull();
        assertThat(cache.find("v", TokenFormat.IDP_JWT)).isNull();
        assertThatThrownBy(() -> cache.putHeader("v", TokenSource.ALB_OIDC_DATA, verified))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ALB_OIDC_DATA");
    }

    /** Both adapters answer alike: the Netty one without building a list, the lambda through {@code all}. */
    @Test
    void onlyValueIsNullWhenAbsentOrRepeated() {
        io.netty.handler.codec.http.HttpHeaders netty = new DefaultHttpHeaders().add("Authorization", "a").add("cookie", "b").add("Cookie", "c");
        Map<String, List<String>> values = Map.of("authorization", List.of("a"), "cookie", List.of("b", "c"));
        Function<String, List<String>> lookup = name -> values.getOrDefault(name.toLowerCase(), List.of());
        for (RequestHeaders headers : List.of(RequestHeaders.of(netty), (RequestHeaders) lookup::apply)) {
            assertThat(headers.onlyValue("authorization")).isEqualTo("a");
            assertThat(headers.onlyValue("cookie")).isNull();
            assertThat(headers.onlyValue("x-amzn-oidc-data")).isNull();
            assertThat(headers.contains("COOKIE")).isTrue();
            assertThat(headers.contains("x-amzn-oidc-data")).isFalse();
        }
    }
}
