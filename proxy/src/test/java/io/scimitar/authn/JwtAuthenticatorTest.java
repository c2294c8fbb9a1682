package io.scimitar.authn;

import static io.scimitar.authn.Tokens.AUDIENCE;
import static io.scimitar.authn.Tokens.EMAIL;
import static io.scimitar.authn.Tokens.ISSUER;
import static io.scimitar.authn.Tokens.claims;
import static io.scimitar.authn.Tokens.header;
import static io.scimitar.authn.Tokens.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real RSA and EC keys from a real JWKS endpoint; every known JWT attack is refused with its reason. */
class JwtAuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final RSAKey RSA = Tokens.rsa("rsa-1");
    private static final ECKey EC = Tokens.ec("ec-1");
    private static final RSAKey OTHER_RSA = Tokens.rsa("rsa-1");
    private static final ECKey ATTACKER_EC = Tokens.ec("attacker");

    private static KeyServer server;
    private static JwksCache jwks;
    private static JwtAuthenticator authenticator;

    @BeforeAll
    static void start() throws Exception {
        server = new KeyServer();
        server.publish(List.of(RSA, EC));
        jwks = JwksCache.builder(server.jwksUrl()).clock(new TestTime(NOW)).build();
        assertThat(jwks.refreshNow().join().status()).isEqualTo(JwksCache.Status.UPDATED);
        authenticator = authenticator(EnumSet.of(JwtAuthenticator.Algorithm.RS256, JwtAuthenticator.Algorithm.ES256));
    }

    @AfterAll
    static void stop() {
        jwks.close();
        server.close();
    }

    private static JwtAuthenticator authenticator(Set<JwtAuthenticator.Algorithm> algorithms) {
        return JwtAuthenticator.builder(jwks)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .algorithms(algorithms)
                .clock(new TestTime(NOW))
                .build();
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                ok("RS256", () -> sign(RSA, claims(NOW).build())),
                ok("ES256", () -> sign(EC, claims(NOW).build())),
                ok("typ JWT", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1").type(JOSEObjectType.JWT), claims(NOW))),
                ok("typ at+jwt (RFC 9068)", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1").type(new JOSEObjectType("at+jwt")), claims(NOW))),
                ok("typ application/at+jwt", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1").type(new JOSEObjectType("application/at+jwt")), claims(NOW))),
                ok("typ AT+JWT, case-insensitive", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1").type(new JOSEObjectType("AT+JWT")), claims(NOW))),
                ok("no kid, one key fits the alg", () -> rs256(new JWSHeader.Builder(JWSAlgorithm.RS256), claims(NOW))),
                ok("aud array containing ours", () -> sign(RSA, claims(NOW).audience(List.of("other", AUDIENCE)).build())),
                ok("exp 29 s ago, within the 30 s skew", () -> sign(RSA, claims(NOW).expirationTime(at(-29)).build())),
                ok("nbf 30 s ahead, at the skew edge", () -> sign(RSA, claims(NOW).notBeforeTime(at(30)).build())),
                ok("iat 30 s ahead, at the skew edge", () -> sign(RSA, claims(NOW).issueTime(at(30)).build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(String name, Supplier<String> token) {
        AuthResult result = authenticator.authenticate(token.get());

        assertThat(result).isInstanceOfSatisfying(VerifiedToken.class, verified -> {
            assertThat(verified.user()).isEqualTo(EMAIL);
            assertThat(verified.format()).isEqualTo(TokenFormat.IDP_JWT);
            assertThat(verified.fingerprint()).hasSize(16);
        });
    }

    @Test
    void verifiedTokenCarriesExpiryAndUserClaim() {
        String token = sign(RSA, claims(NOW).expirationTime(at(120)).claim("upn", "ada@corp").build());
        JwtAuthenticator byUpn = JwtAuthenticator.builder(jwks).issuer(ISSUER).audience(AUDIENCE).userClaim("upn")
                .clock(new TestTime(NOW)).build();

        assertThat(byUpn.authenticate(token)).isEqualTo(new VerifiedToken("ada@corp", NOW.plusSeconds(120),
                TokenFormat.IDP_JWT, Fingerprint.of(token)));
    }

    static Stream<Arguments> attacks() throws Exception {
        String valid = sign(RSA, claims(NOW).build());
        String[] parts = valid.split("\\.");
        return Stream.of(
                // algorithm attacks
                bad("alg none, no signature", () -> unsigned("{\"alg\":\"none\"}"), RejectReason.DISALLOWED_ALGORITHM),
                bad("alg NONE, upper case", () -> unsigned("{\"alg\":\"NONE\",\"kid\":\"rsa-1\"}"), RejectReason.DISALLOWED_ALGORITHM),
                bad("HS256 keyed with the RSA public key's PEM text", () -> hmacWithPublicKey(pem(RSA)), RejectReason.DISALLOWED_ALGORITHM),
                bad("HS256 keyed with the RSA public key's DER bytes", () -> hmacWithPublicKey(der(RSA)), RejectReason.DISALLOWED_ALGORITHM),
                bad("HS512 keyed with the JWK JSON", () -> hmacWithPublicKey(RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)), RejectReason.DISALLOWED_ALGORITHM),
                bad("PS256, valid signature, not in the allow-list", () -> rsa(JWSAlgorithm.PS256, "rsa-1", claims(NOW)), RejectReason.DISALLOWED_ALGORITHM),
                bad("RS512, valid signature, not in the allow-list", () -> rsa(JWSAlgorithm.RS512, "rsa-1", claims(NOW)), RejectReason.DISALLOWED_ALGORITHM),
                bad("ES256 claiming the RSA key's kid", () -> es256(header(JWSAlgorithm.ES256, "rsa-1"), EC), RejectReason.DISALLOWED_ALGORITHM),
                bad("RS256 claiming the EC key's kid", () -> rsa(JWSAlgorithm.RS256, "ec-1", claims(NOW)), RejectReason.DISALLOWED_ALGORITHM),
                bad("JWE encrypted to the RSA public key", JwtAuthenticatorTest::jwe, RejectReason.DISALLOWED_ALGORITHM),
                // key selection attacks
                bad("unknown kid", () -> sign(Tokens.rsa("rotated-away"), claims(NOW).build()), RejectReason.UNKNOWN_KEY),
                bad("known kid, attacker's key", () -> sign(OTHER_RSA, claims(NOW).build()), RejectReason.BAD_SIGNATURE),
                bad("no kid, attacker's EC key", () -> es256(new JWSHeader.Builder(JWSAlgorithm.ES256), ATTACKER_EC), RejectReason.BAD_SIGNATURE),
                bad("jku pointing at the attacker", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1").jwkURL(URI.create("https://evil.test/jwks")), claims(NOW)), RejectReason.FORBIDDEN_HEADER),
                bad("x5u pointing at the attacker", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1").x509CertURL(URI.create("https://evil.test/cert.pem")), claims(NOW)), RejectReason.FORBIDDEN_HEADER),
                bad("embedded jwk, signed with it", () -> es256(header(JWSAlgorithm.ES256, "ec-1").jwk(ATTACKER_EC.toPublicJWK()), ATTACKER_EC), RejectReason.FORBIDDEN_HEADER),
                bad("embedded x5c chain", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1").x509CertChain(List.of(Base64.encode(der(RSA)))), claims(NOW)), RejectReason.FORBIDDEN_HEADER),
                bad("crit header", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1").criticalParams(Set.of("urn:x")).customParam("urn:x", 1), claims(NOW)), RejectReason.FORBIDDEN_HEADER),
                bad("nested JWT (cty JWT)", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1").contentType("JWT"), claims(NOW)), RejectReason.FORBIDDEN_HEADER),
                // signature tampering
                bad("payload swapped, signature kept", () -> parts[0] + "." + payload("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"email\":\"root@example.com\",\"exp\":9999999999}") + "." + parts[2], RejectReason.BAD_SIGNATURE),
                bad("signature bit flipped", () -> parts[0] + "." + parts[1] + "." + flip(parts[2]), RejectReason.BAD_SIGNATURE),
                bad("signature truncated", () -> valid.substring(0, valid.length() - 10), RejectReason.BAD_SIGNATURE),
                bad("signature empty", () -> parts[0] + "." + parts[1] + ".", RejectReason.MALFORMED),
                // type
                bad("typ JWS", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1").type(new JOSEObjectType("JWS")), claims(NOW)), RejectReason.BAD_TYPE),
                bad("typ JOSE", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1").type(JOSEObjectType.JOSE), claims(NOW)), RejectReason.BAD_TYPE),
                bad("typ secevent+jwt (RFC 8417)", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1").type(new JOSEObjectType("secevent+jwt")), claims(NOW)), RejectReason.BAD_TYPE),
                // time
                bad("expired 31 s ago", () -> sign(RSA, claims(NOW).expirationTime(at(-31)).build()), RejectReason.EXPIRED),
                bad("expired exactly at the skew edge", () -> sign(RSA, claims(NOW).expirationTime(at(-30)).build()), RejectReason.EXPIRED),
                bad("nbf 31 s ahead", () -> sign(RSA, claims(NOW).notBeforeTime(at(31)).build()), RejectReason.NOT_YET_VALID),
                bad("iat 31 s ahead", () -> sign(RSA, claims(NOW).issueTime(at(31)).build()), RejectReason.NOT_YET_VALID),
                bad("no exp", () -> sign(RSA, claims(NOW).expirationTime(null).build()), RejectReason.MALFORMED),
                bad("exp as a string", () -> rs256(header(JWSAlgorithm.RS256, "rsa-1"), claims(NOW).expirationTime(null).claim("exp", "9999999999")), RejectReason.MALFORMED),
                // issuer, audience, user
                bad("wrong iss", () -> sign(RSA, claims(NOW).issuer("https://evil.test").build()), RejectReason.WRONG_ISSUER),
                bad("iss with a trailing slash", () -> sign(RSA, claims(NOW).issuer(ISSUER + "/").build()), RejectReason.WRONG_ISSUER),
                bad("iss in other case", () -> sign(RSA, claims(NOW).issuer(ISSUER.toUpperCase()).build()), RejectReason.WRONG_ISSUER),
                bad("no iss", () -> sign(RSA, claims(NOW).issuer(null).build()), RejectReason.WRONG_ISSUER),
                bad("wrong aud", () -> sign(RSA, claims(NOW).audience("api://other").build()), RejectReason.WRONG_AUDIENCE),
                bad("no aud", () -> sign(RSA, claims(NOW).audience((String) null).build()), RejectReason.WRONG_AUDIENCE),
                bad("no email", () -> sign(RSA, claims(NOW).claim("email", null).build()), RejectReason.MISSING_USER_CLAIM),
                bad("email is a number", () -> sign(RSA, claims(NOW).claim("email", 42).build()), RejectReason.MISSING_USER_CLAIM),
                bad("email is blank", () -> sign(RSA, claims(NOW).claim("email", "  ").build()), RejectReason.MISSING_USER_CLAIM),
                // shape
                bad("oversized (8 KiB + 1)", () -> oversized(8 * 1024 + 1), RejectReason.TOO_LARGE),
                bad("empty", () -> "", RejectReason.MISSING),
                bad("garbage characters", () -> "!!!.###.$$$", RejectReason.MALFORMED),
                bad("one segment", () -> "abc", RejectReason.MALFORMED),
                bad("truncated to two segments", () -> parts[0] + "." + parts[1], RejectReason.MALFORMED),
                bad("four segments", () -> valid + ".AAAA", RejectReason.MALFORMED),
                bad("five segments that are not a JWE", () -> "e30.e30.e30.e30.e30", RejectReason.MALFORMED),
                bad("header is not JSON", () -> "bm90LWpzb24." + parts[1] + "." + parts[2], RejectReason.MALFORMED),
                bad("header without alg", () -> "e30." + parts[1] + "." + parts[2], RejectReason.MALFORMED),
                bad("payload is not JSON", () -> rawRs256("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", "not json"), RejectReason.MALFORMED),
                bad("base64 padding", () -> parts[0] + "=." + parts[1] + "." + parts[2], RejectReason.MALFORMED),
                bad("standard base64 alphabet (+ and /)", () -> parts[0] + "." + parts[1] + "." + parts[2].replace('-', '+').replace('_', '/') + "+/", RejectReason.MALFORMED),
                bad("space inside", () -> parts[0] + ". " + parts[1] + "." + parts[2], RejectReason.MALFORMED));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("attacks")
    void rejects(String name, Supplier<String> token, RejectReason expected) {
        assertThat(authenticator.authenticate(token.get())).isEqualTo(AuthResult.Rejected.of(expected));
    }

    @Test
    void allowListIsConfigurable() {
        JwtAuthenticator withPs256 = authenticator(EnumSet.of(JwtAuthenticator.Algorithm.PS256));
        String ps256 = rsa(JWSAlgorithm.PS256, "rsa-1", claims(NOW));
        String rs256 = sign(RSA, claims(NOW).build());

        assertThat(withPs256.authenticate(ps256)).isInstanceOf(VerifiedToken.class);
        assertThat(withPs256.authenticate(rs256)).isEqualTo(AuthResult.Rejected.of(RejectReason.DISALLOWED_ALGORITHM));
    }

    @Test
    void noKeysYetIsKeysUnavailable() {
        try (JwksCache empty = JwksCache.builder(URI.create("http://127.0.0.1:1/never")).build()) {
            JwtAuthenticator early = JwtAuthenticator.builder(empty).issuer(ISSUER).audience(AUDIENCE)
                    .clock(new TestTime(NOW)).build();

            assertThat(early.authenticate(sign(RSA, claims(NOW).build())))
                    .isEqualTo(AuthResult.Rejected.of(RejectReason.KEYS_UNAVAILABLE));
        }
    }

    // --- token makers -----------------------------------------------------------------------

    private static Arguments ok(String name, Supplier<String> token) {
        return Arguments.of(name, token);
    }

    private static Arguments bad(String name, Supplier<String> token, RejectReason reason) {
        return Arguments.of(name, token, reason);
    }

    private static Date at(long secondsFromNow) {
        return Date.from(NOW.plusSeconds(secondsFromNow));
    }

    private static String rs256(JWSHeader.Builder header, JWTClaimsSet.Builder claims) {
        try {
            return sign(header.build(), claims.build(), new RSASSASigner(RSA));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rsa(JWSAlgorithm alg, String kid, JWTClaimsSet.Builder claims) {
        return rs256(header(alg, kid), claims);
    }

    private static String es256(JWSHeader.Builder header, ECKey key) {
        try {
            return sign(header.build(), claims(NOW).build(), new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unsigned(String headerJson) {
        return payload(headerJson) + "." + payload(claims(NOW).build().toString()) + ".";
    }

    /** The classic confusion attack: HMAC with the verifier's public key as the shared secret. */
    private static String hmacWithPublicKey(byte[] secret) {
        try {
            JWSAlgorithm alg = secret.length >= 64 ? JWSAlgorithm.HS512 : JWSAlgorithm.HS256;
            return sign(header(alg, "rsa-1").build(), claims(NOW).build(), new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] der(RSAKey key) {
        try {
            return key.toRSAPublicKey().getEncoded();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pem(RSAKey key) {
        String body = java.util.Base64.getMimeEncoder().encodeToString(der(key));
        return ("-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String jwe() {
        try {
            EncryptedJWT jwe = new EncryptedJWT(
                    new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM).keyID("rsa-1").build(),
                    claims(NOW).build());
            jwe.encrypt(new RSAEncrypter(RSA.toRSAPublicKey()));
            return jwe.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String payload(String json) {
        return Base64URL.encode(json).toString();
    }

    private static String rawRs256(String headerJson, String payload) {
        try {
            String input = payload(headerJson) + "." + payload(payload);
            Base64URL signature = new RSASSASigner(RSA).sign(JWSHeader.parse(headerJson),
                    input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + signature;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String flip(String segment) {
        char last = segment.charAt(10);
        return segment.substring(0, 10) + (last == 'A' ? 'B' : 'A') + segment.substring(11);
    }

    private static String oversized(int length) {
        StringBuilder padding = new StringBuilder();
        String token = sign(RSA, claims(NOW).build());
        while (token.length() < length) {
            padding.append("x".repeat(Math.max(1, (length - token.length()) * 3 / 4)));
            token = sign(RSA, claims(NOW).claim("padding", padding.toString()).build());
        }
        return token;
    }
}
