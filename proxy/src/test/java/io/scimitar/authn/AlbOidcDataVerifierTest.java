package io.scimitar.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ALB's x-amzn-oidc-data tokens, built the way ALB builds them (padded base64url), keys served as PEM on loopback. */
class AlbOidcDataVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final String ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
    private static final String KID = "6c1f9b2e-4d3a-4b8e-9f7a-2a1b3c4d5e6f";
    private static final ECKey ALB_KEY = Tokens.ec(KID);
    private static final ECKey OTHER_KEY = Tokens.ec(KID);

    private final TestTime time = new TestTime(NOW);
    private KeyServer server;
    private AlbPublicKeys keys;
    private AlbOidcDataVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        server = new KeyServer();
        server.publishAlbKey(KID, ALB_KEY.toECPublicKey());
        keys = AlbPublicKeys.builder(server.albKeyBaseUrl()).clock(time).build();
        verifier = AlbOidcDataVerifier.builder(keys).loadBalancerArn(ARN).clock(time).build();
    }

    @AfterEach
    void stop() {
        keys.close();
        server.close();
    }

    @Test
    void firstSightOfAKidRejectsThenTheFetchedKeyVerifies() {
        String token = albToken(header(KID, ARN, NOW.plusSeconds(120)), payload(NOW.plusSeconds(120)), ALB_KEY, true);
        assertThat(token).contains("=.").endsWith("==");

        assertThat(verifier.verify(token)).isEqualTo(AuthResult.Rejected.of(RejectReason.UNKNOWN_KEY));
        assertThat(keys.fetch(KID).join()).isIn(AlbPublicKeys.FetchStatus.FETCHED, AlbPublicKeys.FetchStatus.ALREADY_KNOWN);

        assertThat(verifier.verify(token)).isEqualTo(new VerifiedToken(Tokens.EMAIL, NOW.plusSeconds(120),
                TokenFormat.ALB_OIDC_DATA, Fingerprint.of(token)));
        assertThat(server.albRequests).hasValue(1);
    }

    /** The fetch a refused token starts may end before the request asks for it: still decided again, not refused. */
    @Test
    void aKeyFetchedBeforeTheRefusedRequestAskedStillCountsAsItsArrival() {
        String token = albToken(header(KID, ARN, NOW.plusSeconds(120)), payload(NOW.plusSeconds(120)), ALB_KEY, true);
        assertThat(verifier.verify(token)).isEqualTo(AuthResult.Rejected.of(RejectReason.UNKNOWN_KEY));
        keys.fetch(KID).join(); // the fetch that refusal started, running or ended: ended now

        assertThat(verifier.keyArrival(token)).as("the key arrived after the decision: decide again").isNotNull()
                .isDone();
        assertThat(verifier.verify(token)).isInstanceOf(VerifiedToken.class);
        assertThat(server.albRequests).hasValue(1);
    }

    @Test
    void theSignatureCoversThePaddedTextAsReceived() {
        keys.fetch(KID).join();
        String padded = albToken(header(KID, ARN, NOW.plusSeconds(60)), payload(NOW.plusSeconds(60)), ALB_KEY, true);
        String unpadded = albToken(header(KID, ARN, NOW.plusSeconds(60)), payload(NOW.plusSeconds(60)), ALB_KEY, false);
        // The same claims, signed over the unpadded text, then re-padded: not what ALB signed.
        String[] u = unpadded.split("\\.");
        String[] p = padded.split("\\.");
        String resigned = p[0] + "." + p[1] + "." + u[2];

        assertThat(verifier.verify(padded)).isInstanceOf(VerifiedToken.class);
        assertThat(verifier.verify(unpadded)).isInstanceOf(VerifiedToken.class);
        assertThat(verifier.verify(resigned)).isEqualTo(AuthResult.Rejected.of(RejectReason.BAD_SIGNATURE));
    }

    static Stream<Arguments> rejected() {
        Instant later = NOW.plusSeconds(120);
        return Stream.of(
                bad("signer is another load balancer", () -> albToken(header(KID, ARN.replace("web", "evil"), later), payload(later), ALB_KEY, true), RejectReason.WRONG_ISSUER),
                bad("no signer", () -> albToken("{\"alg\":\"ES256\",\"kid\":\"" + KID + "\"}", payload(later), ALB_KEY, true), RejectReason.WRONG_ISSUER),
                bad("signed by another key", () -> albToken(header(KID, ARN, later), payload(later), OTHER_KEY, true), RejectReason.BAD_SIGNATURE),
                bad("payload swapped", () -> swapPayload(albToken(header(KID, ARN, later), payload(later), ALB_KEY, true)), RejectReason.BAD_SIGNATURE),
                bad("alg ES384", () -> albToken(header(KID, ARN, later).replace("ES256", "ES384"), payload(later), ALB_KEY, true), RejectReason.DISALLOWED_ALGORITHM),
                bad("alg none", () -> pad("{\"alg\":\"none\"}") + "." + pad(payload(later)) + ".", RejectReason.DISALLOWED_ALGORITHM),
                bad("jku header", () -> albToken(header(KID, ARN, later).replace("{", "{\"jku\":\"https://evil.test/k\","), payload(later), ALB_KEY, true), RejectReason.FORBIDDEN_HEADER),
                bad("kid that climbs the key URL", () -> albToken(header("../../../etc/passwd", ARN, later), payload(later), ALB_KEY, true), RejectReason.MALFORMED),
                bad("payload exp passed", () -> albToken(header(KID, ARN, later), payload(NOW.minusSeconds(31)), ALB_KEY, true), RejectReason.EXPIRED),
                bad("header exp passed", () -> albToken(header(KID, ARN, NOW.minusSeconds(31)), payload(later), ALB_KEY, true), RejectReason.EXPIRED),
                bad("no exp anywhere", () -> albToken("{\"alg\":\"ES256\",\"kid\":\"" + KID + "\",\"signer\":\"" + ARN + "\"}", "{\"email\":\"" + Tokens.EMAIL + "\"}", ALB_KEY, true), RejectReason.MALFORMED),
                bad("no email", () -> albToken(header(KID, ARN, later), "{\"sub\":\"abc\",\"exp\":" + later.getEpochSecond() + "}", ALB_KEY, true), RejectReason.MISSING_USER_CLAIM),
                bad("three padding characters", () -> albToken(header(KID, ARN, later), payload(later), ALB_KEY, true).replaceFirst("=\\.", "===."), RejectReason.MALFORMED),
                bad("padding inside a segment", () -> "ab=c." + pad(payload(later)) + ".AAAA", RejectReason.MALFORMED),
                bad("four segments", () -> albToken(header(KID, ARN, later), payload(later), ALB_KEY, true) + ".e30", RejectReason.MALFORMED),
                bad("oversized", () -> "a".repeat(8 * 1024 + 1), RejectReason.TOO_LARGE));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("rejected")
    void rejects(String name, Supplier<String> token, RejectReason expected) {
        keys.fetch(KID).join();

        assertThat(verifier.verify(token.get())).isEqualTo(AuthResult.Rejected.of(expected));
    }

    @Test
    void aForgedKidIsNeverFetched() {
        String token = albToken(header("../admin?x=", ARN, NOW.plusSeconds(60)), payload(NOW.plusSeconds(60)), ALB_KEY, true);

        assertThat(verifier.verify(token)).isEqualTo(AuthResult.Rejected.of(RejectReason.MALFORMED));
        assertThat(keys.fetch("../admin").join()).isEqualTo(AlbPublicKeys.FetchStatus.INVALID_KID);
        assertThat(server.albRequests).hasValue(0);
    }

    @Test
    void keyFetchesAreRateLimitedAndFailedKidsRest() {
        assertThat(keys.fetch("11111111-0000-0000-0000-000000000000").join()).isEqualTo(AlbPublicKeys.FetchStatus.FAILED);
        assertThat(keys.fetch(KID).join()).isEqualTo(AlbPublicKeys.FetchStatus.RATE_LIMITED);

        time.advance(Duration.ofSeconds(1));
        assertThat(keys.fetch("11111111-0000-0000-0000-000000000000").join()).isEqualTo(AlbPublicKeys.FetchStatus.RATE_LIMITED);
        assertThat(keys.fetch(KID).join()).isEqualTo(AlbPublicKeys.FetchStatus.FETCHED);
        assertThat(keys.fetch(KID).join()).isEqualTo(AlbPublicKeys.FetchStatus.ALREADY_KNOWN);

        time.advance(Duration.ofSeconds(60));
        assertThat(keys.fetch("11111111-0000-0000-0000-000000000000").join()).isEqualTo(AlbPublicKeys.FetchStatus.FAILED);
        assertThat(server.albRequests).hasValue(3);
    }

    @Test
    void aKeyOnAnotherCurveIsRefused() throws Exception {
        ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();
        server.publishAlbKey("22222222-0000-0000-0000-000000000000", p384.toECPublicKey());

        assertThat(keys.fetch("22222222-0000-0000-0000-000000000000").join()).isEqualTo(AlbPublicKeys.FetchStatus.FAILED);
    }

    @Test
    void theArnIsValidatedAtBuild() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> AlbOidcDataVerifier.builder(keys).loadBalancerArn("my-alb"))
                .withMessageContaining("must be an ARN");
    }

    // --- ALB-style tokens ---------------------------------------------------------------------

    private static Arguments bad(String name, Supplier<String> token, RejectReason reason) {
        return Arguments.of(name, token, reason);
    }

    /** ALB's documented header fields; the client id is chosen so that the encoding needs padding. */
    private static String header(String kid, String signer, Instant exp) {
        String client = "3pdqc2n1vv5kib4sm9o";
        String json;
        do {
            client += "x";
            json = "{\"alg\":\"ES256\",\"kid\":\"" + kid + "\",\"signer\":\"" + signer
                    + "\",\"iss\":\"https://idp.example.test\",\"client\":\"" + client + "\",\"exp\":" + exp.getEpochSecond() + "}";
        } while (json.length() % 3 == 0);
        return json;
    }

    private static String payload(Instant exp) {
        String sub = "00u1abcd";
        String json;
        do {
            sub += "0";
            json = "{\"sub\":\"" + sub + "\",\"email\":\"" + Tokens.EMAIL + "\",\"exp\":" + exp.getEpochSecond()
                    + ",\"iss\":\"https://idp.example.test\"}";
        } while (json.length() % 3 == 0);
        return json;
    }

    private static String pad(String json) {
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String unpad(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Signs the text exactly as it will be sent, padded or not, with a JOSE (R‖S) ES256 signature. */
    private static String albToken(String headerJson, String payloadJson, ECKey key, boolean padded) {
        String input = padded ? pad(headerJson) + "." + pad(payloadJson) : unpad(headerJson) + "." + unpad(payloadJson);
        try {
            byte[] signature = new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256),
                    input.getBytes(StandardCharsets.US_ASCII)).decode();
            Base64.Encoder encoder = padded ? Base64.getUrlEncoder() : Base64.getUrlEncoder().withoutPadding();
            return input + "." + encoder.encodeToString(signature);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String swapPayload(String token) {
        String[] parts = token.split("\\.");
        String forged = "{\"sub\":\"x\",\"email\":\"root@example.com\",\"exp\":9999999999}";
        return parts[0] + "." + pad(forged) + "." + parts[2];
    }
}
