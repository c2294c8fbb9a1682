package io.scimitar.authn;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Verifies ALB's {@code x-amzn-oidc-data} user-claims token: ES256, signed with the key named by
 * {@code kid}, its {@code signer} header equal to our load balancer's ARN, unexpired. ALB pads its
 * base64url segments with {@code =} (against RFC 7515 §2) and signs the padded text, so the
 * segments are decoded without the padding while the signature is checked over the bytes as
 * received.
 */
public final class AlbOidcDataVerifier {

    private final AlbPublicKeys keys;
    private final String loadBalancerArn;
    private final String userClaim;
    private final long skewMillis;
    private final int maxTokenLength;
    private final Clock clock;

    private AlbOidcDataVerifier(Builder b) {
        this.keys = b.keys;
        this.loadBalancerArn = b.loadBalancerArn;
        this.userClaim = b.userClaim;
        this.skewMillis = b.clockSkew.toMillis();
        this.maxTokenLength = b.maxTokenLength;
        this.clock = b.clock;
    }

    public static Builder builder(AlbPublicKeys keys) {
        return new Builder(keys);
    }

    /**
     * When {@code token} names an ALB key not fetched yet, its fetch (the request can wait for it
     * rather than be refused); a completed future when that key was the last one fetched, possibly
     * after the refusal; null otherwise or when no fetch is running. For the cold path.
     */
    CompletableFuture<?> keyArrival(String token) {
        int firstDot = token.indexOf('.');
        if (token.length() > maxTokenLength || firstDot < 0) {
            return null;
        }
        String headerPart = unpadded(token, 0, firstDot);
        if (headerPart == null) {
            return null;
        }
        String kid;
        try {
            kid = JWSHeader.parse(new Base64URL(headerPart)).getKeyID();
        } catch (ParseException e) {
            return null;
        }
        if (!AlbPublicKeys.isValidKid(kid)) {
            return null;
        }
        if (keys.verifier(kid) != null) {
            return arrivedSinceTheDecision(kid);
        }
        CompletableFuture<?> fetch = keys.fetch(kid);
        // The fetch may have ended between the look at the keys and now.
        return fetch.isDone() ? arrivedSinceTheDecision(kid) : fetch;
    }

    /**
     * For a key we hold now: the fetch the refused request started may have ended before it got
     * here, so the key fetched last is decided again at once (a completed future); a key fetched
     * before it was not why the token was refused, so null.
     */
    private CompletableFuture<?> arrivedSinceTheDecision(String kid) {
        return keys.fetchedLast(kid) && keys.verifier(kid) != null ? CompletableFuture.completedFuture(null) : null;
    }

    /**
     * Verifies {@code token}. A key not fetched yet rejects this request with {@code UNKNOWN_KEY}
     * and starts its fetch (see {@link AlbPublicKeys#fetch}); it never waits for it.
     */
    public AuthResult verify(String token) {
        if (token.length() > maxTokenLength) {
            return rejected(RejectReason.TOO_LARGE);
        }
        if (token.isEmpty()) {
            return rejected(RejectReason.MISSING);
        }
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            return rejected(RejectReason.MALFORMED);
        }
        String headerPart = unpadded(token, 0, firstDot);
        String payloadPart = unpadded(token, firstDot + 1, secondDot);
        String signaturePart = unpadded(token, secondDot + 1, token.length());
        if (headerPart == null || payloadPart == null) {
            return rejected(RejectReason.MALFORMED);
        }
        JWSHeader header;
        try {
            header = JWSHeader.parse(new Base64URL(headerPart));
        } catch (ParseException e) {
            return rejected(isUnsigned(headerPart) ? RejectReason.DISALLOWED_ALGORITHM : RejectReason.MALFORMED);
        }
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            return rejected(RejectReason.DISALLOWED_ALGORITHM);
        }
        if (signaturePart == null) {
            return rejected(RejectReason.MALFORMED);
        }
        if (header.getJWKURL() != null || header.getX509CertURL() != null || header.getJWK() != null
                || header.getX509CertChain() != null || header.getCriticalParams() != null) {
            return rejected(RejectReason.FORBIDDEN_HEADER);
        }
        // The signer is what binds the token to *our* load balancer: any ALB in the region signs
        // with the same regional keys.
        if (!loadBalancerArn.equals(header.getCustomParam("signer"))) {
            return rejected(RejectReason.WRONG_ISSUER);
        }
        String kid = header.getKeyID();
        if (!AlbPublicKeys.isValidKid(kid)) {
            return rejected(RejectReason.MALFORMED);
        }
        ECDSAVerifier verifier = keys.verifier(kid);
        if (verifier == null) {
            keys.fetch(kid);
            return rejected(RejectReason.UNKNOWN_KEY);
        }
        byte[] signingInput = token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
        try {
            if (!verifier.verify(header, signingInput, new Base64URL(signaturePart))) {
                return rejected(RejectReason.BAD_SIGNATURE);
            }
        } catch (JOSEException e) {
            return rejected(RejectReason.BAD_SIGNATURE);
        }
        JWTClaimsSet claims;
        try {
            claims = JWTClaimsSet.parse(new Base64URL(payloadPart).decodeToString());
        } catch (ParseException e) {
            return rejected(RejectReason.MALFORMED);
        }
        Long exp = earliestExpiry(header, claims);
        if (exp == null) {
            return rejected(RejectReason.MALFORMED);
        }
        if (clock.millis() >= exp + skewMillis) {
            return rejected(RejectReason.EXPIRED);
        }
        if (!(claims.getClaim(userClaim) instanceof String user) || user.isBlank()) {
            return rejected(RejectReason.MISSING_USER_CLAIM);
        }
        return new VerifiedToken(user, Instant.ofEpochMilli(exp), TokenFormat.ALB_OIDC_DATA, Fingerprint.of(token));
    }

    /**
     * ALB documents {@code exp} as a header field; the payload carries one too. Both are signed;
     * the earlier one wins. Null when neither is a number.
     */
    private static Long earliestExpiry(JWSHeader header, JWTClaimsSet claims) {
        Long result = null;
        if (header.getCustomParam("exp") instanceof Number headerExp) {
            result = headerExp.longValue() * 1000;
        }
        Date claimExp = claims.getExpirationTime();
        if (claimExp != null && (result == null || claimExp.getTime() < result)) {
            result = claimExp.getTime();
        }
        return result;
    }

    /**
     * The segment {@code [from, to)} without its trailing {@code =} padding (at most two), or null
     * when it is empty or has a character outside the base64url alphabet.
     */
    private static String unpadded(String token, int from, int to) {
        int end = to;
        while (end > from && to - end < 2 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == from) {
            return null;
        }
        for (int i = from; i < end; i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return null;
            }
        }
        return token.substring(from, end);
    }

    private static boolean isUnsigned(String headerPart) {
        try {
            return Header.parse(new Base64URL(headerPart)) instanceof PlainHeader;
        } catch (ParseException e) {
            return false;
        }
    }

    private static AuthResult.Rejected rejected(RejectReason reason) {
        return AuthResult.Rejected.of(reason);
    }

    /** The load balancer ARN is required; the user claim defaults to {@code email}. */
    public static final class Builder {
        private final AlbPublicKeys keys;
        private String loadBalancerArn;
        private String userClaim = "email";
        private Duration clockSkew = Duration.ofSeconds(30);
        private int maxTokenLength = TokenExtractor.DEFAULT_MAX_TOKEN_LENGTH;
        private Clock clock = Clock.systemUTC();

        private Builder(AlbPublicKeys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
        }

        /** The {@code signer} every token must carry: {@code arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID}. */
        public Builder loadBalancerArn(String arn) {
            String value = JwtAuthenticator.Builder.nonBlank("loadBalancerArn", arn);
            if (!value.startsWith("arn:")) {
                throw new IllegalArgumentException("loadBalancerArn must be an ARN (arn:aws:elasticloadbalancing:...), was "
                        + value);
            }
            this.loadBalancerArn = value;
            return this;
        }

        public Builder userClaim(String claim) {
            this.userClaim = JwtAuthenticator.Builder.nonBlank("userClaim", claim);
            return this;
        }

        public Builder clockSkew(Duration skew) {
            this.clockSkew = JwtAuthenticator.Builder.checkedClockSkew(skew);
            return this;
        }

        public Builder maxTokenLength(int length) {
            this.maxTokenLength = JwtAuthenticator.Builder.checkedMaxTokenLength(length);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public AlbOidcDataVerifier build() {
            if (loadBalancerArn == null) {
                throw new IllegalStateException("loadBalancerArn is required");
            }
            return new AlbOidcDataVerifier(this);
        }
    }
}
