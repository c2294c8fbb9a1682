package io.scimitar.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The token grammar of each source, over Netty's real header map. */
class TokenExtractorTest {

    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";

    private final TokenExtractor extractor = TokenExtractor.builder()
            .bearer(true).albOidcData(true).cookie(Optional.of("scimitar_token")).build();

    static Stream<Arguments> found() {
        return Stream.of(
                found("Bearer", headers("Authorization", "Bearer " + JWT), JWT, TokenSource.AUTHORIZATION_HEADER),
                found("bearer in lower case", headers("authorization", "bearer " + JWT), JWT, TokenSource.AUTHORIZATION_HEADER),
                found("BEARER, several spaces", headers("Authorization", "BEARER   " + JWT), JWT, TokenSource.AUTHORIZATION_HEADER),
                found("b64token with ~+/ and padding", headers("Authorization", "Bearer abc~+/=="), "abc~+/==", TokenSource.AUTHORIZATION_HEADER),
                found("ALB header", headers("x-amzn-oidc-data", "eyJh==.eyJw.c2ln=="), "eyJh==.eyJw.c2ln==", TokenSource.ALB_OIDC_DATA),
                found("Authorization wins over ALB and cookie", headers("Authorization", "Bearer " + JWT, "x-amzn-oidc-data", "alb", "Cookie", "scimitar_token=c"), JWT, TokenSource.AUTHORIZATION_HEADER),
                found("ALB wins over cookie", headers("x-amzn-oidc-data", "alb", "Cookie", "scimitar_token=c"), "alb", TokenSource.ALB_OIDC_DATA),
                found("cookie alone", headers("Cookie", "scimitar_token=" + JWT), JWT, TokenSource.COOKIE),
                found("cookie among others", headers("Cookie", "a=1; scimitar_token=" + JWT + "; b=2"), JWT, TokenSource.COOKIE),
                found("quoted cookie", headers("Cookie", "scimitar_token=\"" + JWT + "\""), JWT, TokenSource.COOKIE),
                found("cookie split over HTTP/2 headers", headers("Cookie", "a=1", "Cookie", "scimitar_token=" + JWT), JWT, TokenSource.COOKIE),
                found("a longer cookie name is not ours", headers("Cookie", "xscimitar_token=no; scimitar_token=" + JWT), JWT, TokenSource.COOKIE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("found")
    void finds(String name, HttpHeaders headers, String token, TokenSource source) {
        assertThat(extractor.extract(RequestHeaders.of(headers))).isEqualTo(new ExtractedToken(token, source));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                refused("nothing", headers(), RejectReason.MISSING),
                refused("unrelated cookies", headers("Cookie", "a=1; b=2"), RejectReason.MISSING),
                refused("empty cookie value", headers("Cookie", "scimitar_token="), RejectReason.MISSING),
                refused("empty ALB header", headers("x-amzn-oidc-data", ""), RejectReason.MISSING),
                refused("two Authorization headers", headers("Authorization", "Bearer a", "Authorization", "Bearer b"), RejectReason.MALFORMED),
                refused("two ALB headers", headers("x-amzn-oidc-data", "a", "x-amzn-oidc-data", "b"), RejectReason.MALFORMED),
                refused("two cookies with our name (cookie tossing)", headers("Cookie", "scimitar_token=a; scimitar_token=b"), RejectReason.MALFORMED),
                refused("Basic scheme", headers("Authorization", "Basic YWRhOnB3"), RejectReason.MALFORMED),
                refused("Bearer without a token", headers("Authorization", "Bearer"), RejectReason.MALFORMED),
                refused("Bearer and spaces only", headers("Authorization", "Bearer    "), RejectReason.MALFORMED),
                refused("Bearer glued to the token", headers("Authorization", "Bearer" + JWT), RejectReason.MALFORMED),
                refused("two tokens", headers("Authorization", "Bearer a b"), RejectReason.MALFORMED),
                refused("a comma list", headers("Authorization", "Bearer a, Bearer b"), RejectReason.MALFORMED),
                refused("padding in the middle", headers("Authorization", "Bearer ab=cd"), RejectReason.MALFORMED),
                refused("a control character", headers("Authorization", "Bearer ab\u0001cd"), RejectReason.MALFORMED),
                refused("non-ASCII", headers("Authorization", "Bearer abcé"), RejectReason.MALFORMED),
                refused("oversized bearer", headers("Authorization", "Bearer " + "a".repeat(8 * 1024 + 1)), RejectReason.TOO_LARGE),
                refused("oversized ALB header", headers("x-amzn-oidc-data", "a".repeat(8 * 1024 + 1)), RejectReason.TOO_LARGE),
                refused("oversized cookie", headers("Cookie", "scimitar_token=" + "a".repeat(8 * 1024 + 1)), RejectReason.TOO_LARGE),
                refused("a bad Authorization does not fall through to the cookie", headers("Authorization", "Basic x", "Cookie", "scimitar_token=" + JWT), RejectReason.MALFORMED));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refused")
    void refuses(String name, HttpHeaders headers, RejectReason reason) {
        assertThat(extractor.extract(RequestHeaders.of(headers))).isEqualTo(AuthResult.Rejected.of(reason));
    }

    @Test
    void disabledSourcesAreNotRead() {
        TokenExtractor bearerOnly = TokenExtractor.builder().build();

        assertThat(bearerOnly.extract(RequestHeaders.of(headers("x-amzn-oidc-data", "a", "Cookie", "scimitar_token=b"))))
                .isEqualTo(AuthResult.Rejected.of(RejectReason.MISSING));
    }

    @Test
    void anExactlyMaximalTokenIsAccepted() {
        String token = "a".repeat(8 * 1024);

        assertThat(extractor.extract(RequestHeaders.of(headers("Authorization", "Bearer " + token))))
                .isEqualTo(new ExtractedToken(token, TokenSource.AUTHORIZATION_HEADER));
    }

    @Test
    void configurationErrorsNameTheProblem() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TokenExtractor.builder().cookie(Optional.of("bad name")))
                .withMessageContaining("'bad name'").withMessageContaining("index 3");
        assertThatIllegalStateException()
                .isThrownBy(() -> TokenExtractor.builder().bearer(false).build())
                .withMessageContaining("no token source");
    }

    @Test
    void theTokenIsNeverPrinted() {
        assertThat(new ExtractedToken(JWT, TokenSource.COOKIE).toString()).doesNotContain(JWT).contains("length=");
    }

    private static Arguments found(String name, HttpHeaders headers, String token, TokenSource source) {
        return Arguments.of(name, headers, token, source);
    }

    private static Arguments refused(String name, HttpHeaders headers, RejectReason reason) {
        return Arguments.of(name, headers, reason);
    }

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new DefaultHttpHeaders(false);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }
}
