package io.scimitar.e2e;

import io.scimitar.testing.RawClient;
import static io.scimitar.e2e.SidecarFixture.ADA;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.scimitar.authn.Tokens;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue of token attacks, each sent through the sidecar on an otherwise allowed request
 * (ada, GET /api/things): 401 with the bearer challenge and an empty body, and the app never sees
 * the request.
 */
class TokenAttacksTest {

    @RegisterExtension
    static final SidecarFixture STACK = SidecarFixture.standard();

    /** A key the IdP never published, with the published key's kid or its own. */
    private static final RSAKey ROGUE = Tokens.rsa("rogue");

    record Attack(String name, Function<SidecarFixture, List<String>> headers) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Attack bearer(String name, Function<SidecarFixture, String> token) {
        return new Attack(name, f -> List.of("Authorization: Bearer " + token.apply(f)));
    }

    static Stream<Attack> attacks() {
        return Stream.of(
                bearer("alg none", f -> new PlainJWT(f.claims(ADA).build()).serialize()),
                bearer("alg none with a signature segment", f -> new PlainJWT(f.claims(ADA).build()).serialize()
                        + "c2lnbmF0dXJl"),
                bearer("HS256 keyed with the RSA public key's bytes", f -> hmacWithPublicKey(f)),
                bearer("an unknown kid", f -> Tokens.sign(ROGUE, f.claims(ADA).build())),
                bearer("the published kid, another key", f -> Tokens.sign(
                        Tokens.header(JWSAlgorithm.RS256, f.rsaKey().getKeyID()).build(), f.claims(ADA).build(),
                        signer(ROGUE))),
                bearer("a jku header naming the attacker's key set", f -> f.signRs256(
                        f.rs256Header().jwkURL(URI.create("https://attacker.example/jwks.json")), f.claims(ADA).build())),
                bearer("an x5u header", f -> f.signRs256(
                        f.rs256Header().x509CertURL(URI.create("https://attacker.example/cert.pem")),
                        f.claims(ADA).build())),
                bearer("an embedded jwk header", f -> Tokens.sign(Tokens.header(JWSAlgorithm.RS256, "rogue")
                        .jwk(ROGUE.toPublicJWK()).build(), f.claims(ADA).build(), signer(ROGUE))),
                bearer("expired", f -> f.signRs256(f.rs256Header(), f.claims(ADA)
                        .issueTime(minutesFromNow(-30)).expirationTime(minutesFromNow(-10)).build())),
                bearer("not yet valid", f -> f.signRs256(f.rs256Header(), f.claims(ADA)
                        .notBeforeTime(minutesFromNow(10)).build())),
                bearer("issued in the future", f -> f.signRs256(f.rs256Header(), f.claims(ADA)
                        .issueTime(minutesFromNow(10)).expirationTime(minutesFromNow(20)).build())),
                bearer("without exp", f -> f.signRs256(f.rs256Header(), f.claims(ADA).expirationTime(null).build())),
                bearer("the wrong issuer", f -> f.signRs256(f.rs256Header(), f.claims(ADA)
                        .issuer("https://attacker.example/").build())),
                bearer("the wrong audience", f -> f.signRs256(f.rs256Header(), f.claims(ADA)
                        .audience("api://another-app").build())),
                bearer("typ is not JWT or at+jwt", f -> f.signRs256(f.rs256Header()
                        .type(new JOSEObjectType("secevent+jwt")), f.claims(ADA).build())),
                bearer("no user claim", f -> f.signRs256(f.rs256Header(), f.claims(ADA).claim("email", null).build())),
                bearer("oversized (> 8 KiB)", f -> f.signRs256(f.rs256Header(), f.claims(ADA)
                        .claim("padding", "p".repeat(8 * 1024)).build())),
                bearer("a tampered payload", f -> tamper(f.token(ADA), f.claims("grace@example.com").build())),
                bearer("a signature stripped", f -> f.token(ADA).substring(0, f.token(ADA).lastIndexOf('.') + 1)),
                bearer("garbage", f -> "%%%garbage%%%"),
                bearer("three dots of nothing", f -> ".."),
                new Attack("a valid token in two Authorization headers", f -> List.of(
                        "Authorization: Bearer " + f.token(ADA), "Authorization: Bearer " + f.token(ADA))),
                new Attack("a valid token and a bad one in two Authorization headers", f -> List.of(
                        "Authorization: Bearer " + f.token(ADA), "Authorization: Bearer x.y.z")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void isRefused401AndNeverReachesTheApp(Attack attack) throws Exception {
        STACK.app().forget();

        var response = STACK.send(RawClient.get("/api/things", attack.headers().apply(STACK)));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers()).containsEntry("www-authenticate", "Bearer error=\"invalid_token\"");
        assertThat(response.body()).isEmpty();
        STACK.assertAppSawNothing();
    }

    /** The control: the same request with a proper token gets through, so the refusals above are the token's doing. */
    @Test
    void theSameRequestWithAValidTokenIsAllowed() throws Exception {
        STACK.app().forget();
        assertThat(STACK.get("/api/things", STACK.bearer(ADA)).status()).isEqualTo(200);
        assertThat(STACK.get("/api/things", "Authorization: Bearer " + STACK.ecToken(ADA)).status()).isEqualTo(200);
        assertThat(STACK.app().next().header("x-scimitar-user")).isEqualTo(ADA);
        assertThat(STACK.app().next().header("x-scimitar-user")).isEqualTo(ADA);
    }

    private static String hmacWithPublicKey(SidecarFixture f) {
        try {
            byte[] publicKey = f.rsaKey().toRSAPublicKey().getEncoded();
            return Tokens.sign(Tokens.header(JWSAlgorithm.HS256, f.rsaKey().getKeyID()).build(), f.claims(ADA).build(),
                    new MACSigner(publicKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSASSASigner signer(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The header and signature of {@code token} around another payload. */
    private static String tamper(String token, JWTClaimsSet payload) {
        String[] parts = token.split("\\.");
        String body = Base64URL.encode(payload.toString()).toString();
        return parts[0] + "." + body + "." + parts[2];
    }

    private static Date minutesFromNow(int minutes) {
        return Date.from(Instant.now().plusSeconds(60L * minutes));
    }
}
