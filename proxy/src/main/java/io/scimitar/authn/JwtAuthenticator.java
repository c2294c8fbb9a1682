package io.scimitar.authn;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies the identity provider's JWTs (compact JWS only) against the {@link KeySource}'s keys
 * under a strict rule set: an algorithm allow-list without {@code none} or HMAC, no header that
 * lets the token pick its own key, exact {@code iss}, {@code aud} containing ours, a required
 * {@code exp} and honoured {@code nbf}/{@code iat} with a small skew, and {@code typ} absent,
 * {@code JWT} or {@code at+jwt} (RFC 9068). Never blocks: a missing key rejects this request and
 * asks the key source to refetch.
 */
public final class JwtAuthenticator {

    /** The algorithms a deployment may allow: RSA PKCS#1 v1.5, RSA-PSS and ECDSA. Never HMAC, never none. */
    public enum Algorithm {
        RS256(JWSAlgorithm.RS256), RS384(JWSAlgorithm.RS384), RS512(JWSAlgorithm.RS512),
        PS256(JWSAlgorithm.PS256), PS384(JWSAlgorithm.PS384), PS512(JWSAlgorithm.PS512),
        ES256(JWSAlgorithm.ES256), ES384(JWSAlgorithm.ES384), ES512(JWSAlgorithm.ES512);

        private final JWSAlgorithm jws;

        Algorithm(JWSAlgorithm jws) {
            this.jws = jws;
        }

        JWSAlgorithm jws() {
            return jws;
        }
    }

    /**
     * RFC 7515 §4.1.9: {@code typ} compares case-insensitively and may omit {@code application/};
     * nimbus handles the case, we list both spellings. Absent is allowed (the {@code null}).
     */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES = new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("application/jwt"),
            new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null);

    private final KeySource keys;
    private final String issuer;
    private final String audience;
    private final String userClaim;
    private final Set<JWSAlgorithm> algorithms;
    private final long skewMillis;
    private final int maxTokenLength;
    private final Clock clock;

    private JwtAuthenticator(Builder b) {
        this.keys = b.keys;
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.userClaim = b.userClaim;
        this.algorithms = b.algorithms.stream().map(Algorithm::jws).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.skewMillis = b.clockSkew.toMillis();
        this.maxTokenLength = b.maxTokenLength;
        this.clock = b.clock;
    }

    public static Builder builder(KeySource keys) {
        return new Builder(keys);
    }

    /**
     * When {@code token} names a key this authenticator lacks, the fetch that may bring it (the
     * request can wait for it rather than be refused); a completed future when the last fetch
     * brought that key, possibly after the refusal; null when the token is not such a token or no
     * fetch is running. Parses the header only; for the cold path after a refusal.
     */
    CompletableFuture<?> keyArrival(String token) {
        if (token.length() > maxTokenLength) {
            return null;
        }
        JWSHeader header;
        try {
            header = SignedJWT.parse(token).getHeader();
        } catch (ParseException e) {
            return null;
        }
        String kid = header.getKeyID();
        if (kid == null) {
            return null;
        }
        if (keys.snapshot().containsKeyId(kid)) {
            return arrivedSinceTheDecision(kid);
        }
        CompletableFuture<?> fetch = keys.keyMissing(kid);
        // The fetch may have ended between the look at the snapshot and now.
        return fetch.isDone() ? arrivedSinceTheDecision(kid) : fetch;
    }

    /**
     * For a kid we hold now: the refetch the refused request started may have ended before it got
     * here, so a kid the last fetch brought is decided again at once (a completed future); a kid
     * held for longer was not why the token was refused (expired, bad signature), so null.
     */
    private CompletableFuture<?> arrivedSinceTheDecision(String kid) {
        return keys.snapshot().arrived(kid) ? CompletableFuture.completedFuture(null) : null;
    }

    /** Verifies {@code token}: a {@link VerifiedToken}, or the first rule it broke. */
    public AuthResult authenticate(String token) {
        if (token.length() > maxTokenLength) {
            return rejected(RejectReason.TOO_LARGE);
        }
        if (token.isEmpty()) {
            return rejected(RejectReason.MISSING);
        }
        // nimbus's base64url decoder skips characters outside the alphabet; we do not, so one
        // token has one spelling and junk never reaches the JSON parser.
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!isBase64UrlChar(c)) {
                return rejected(RejectReason.MALFORMED);
            }
        }
        if (dots != 2) {
            return rejected(dots == 4 ? encryptedOrMalformed(token) : RejectReason.MALFORMED);
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            return rejected(unsignedOrMalformed(token));
        }
        JWSHeader header = jwt.getHeader();
        RejectReason headerProblem = checkHeader(header);
        if (headerProblem != null) {
            return rejected(headerProblem);
        }
        RejectReason signatureProblem = checkSignature(jwt, header);
        if (signatureProblem != null) {
            return rejected(signatureProblem);
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return rejected(RejectReason.MALFORMED);
        }
        return checkClaims(claims, token);
    }

    private RejectReason checkHeader(JWSHeader header) {
        if (!algorithms.contains(header.getAlgorithm())) {
            return RejectReason.DISALLOWED_ALGORITHM;
        }
        // RFC 8725 §3.10/§2.4: a header that names its own key (jku, x5u, jwk, x5c) would let the
        // token choose who vouches for it; crit asks for semantics we do not implement (RFC 7515
        // §4.1.11, e.g. b64=false); cty marks a nested JWT (RFC 7519 §5.2), which we never unwrap.
        if (header.getJWKURL() != null || header.getX509CertURL() != null || header.getJWK() != null
                || header.getX509CertChain() != null || header.getCriticalParams() != null
                || header.getContentType() != null || !header.isBase64URLEncodePayload()) {
            return RejectReason.FORBIDDEN_HEADER;
        }
        try {
            TYPES.verify(header.getType(), null);
        } catch (BadJOSEException e) {
            return RejectReason.BAD_TYPE;
        }
        return null;
    }

    private RejectReason checkSignature(SignedJWT jwt, JWSHeader header) {
        KeySnapshot snapshot = keys.snapshot();
        String kid = header.getKeyID();
        if (snapshot.isEmpty()) {
            keys.keyMissing(kid);
            return RejectReason.KEYS_UNAVAILABLE;
        }
        if (kid != null && !snapshot.containsKeyId(kid)) {
            keys.keyMissing(kid);
            return RejectReason.UNKNOWN_KEY;
        }
        List<VerificationKey> candidates = snapshot.candidates(header);
        if (candidates.isEmpty()) {
            // The kid exists but its key cannot do this alg (an RS256 key asked to check ES256),
            // or the token names no kid and no key fits its alg.
            return kid == null ? RejectReason.UNKNOWN_KEY : RejectReason.DISALLOWED_ALGORITHM;
        }
        for (VerificationKey key : candidates) {
            try {
                if (jwt.verify(key.verifier())) {
                    return null;
                }
            } catch (JOSEException e) {
                // a signature of the wrong length for the key, for example: not valid, try the next
            }
        }
        return RejectReason.BAD_SIGNATURE;
    }

    private AuthResult checkClaims(JWTClaimsSet claims, String token) {
        if (!issuer.equals(claims.getIssuer())) {
            return rejected(RejectReason.WRONG_ISSUER);
        }
        List<String> audiences = claims.getAudience();
        if (!audiences.contains(audience)) {
            return rejected(RejectReason.WRONG_AUDIENCE);
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return rejected(RejectReason.MALFORMED);
        }
        long now = clock.millis();
        // RFC 7519 §4.1.4: valid only while now is before exp; the skew absorbs clock drift.
        if (now >= exp.getTime() + skewMillis) {
            return rejected(RejectReason.EXPIRED);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now + skewMillis < nbf.getTime()) {
            return rejected(RejectReason.NOT_YET_VALID);
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now + skewMillis < iat.getTime()) {
            return rejected(RejectReason.NOT_YET_VALID);
        }
        if (!(claims.getClaim(userClaim) instanceof String user) || user.isBlank()) {
            return rejected(RejectReason.MISSING_USER_CLAIM);
        }
        return new VerifiedToken(user, Instant.ofEpochMilli(exp.getTime()), TokenFormat.IDP_JWT,
                Fingerprint.of(token));
    }

    /** Five segments: a JWE (which we never accept) if its header says so, else garbage. */
    private static RejectReason encryptedOrMalformed(String token) {
        try {
            Header header = Header.parse(new Base64URL(token.substring(0, token.indexOf('.'))));
            return header instanceof JWEHeader ? RejectReason.DISALLOWED_ALGORITHM : RejectReason.MALFORMED;
        } catch (ParseException e) {
            return RejectReason.MALFORMED;
        }
    }

    /**
     * nimbus refuses {@code alg: none} as "not a JWS header" and an empty signature as unparseable;
     * an algorithm we would refuse anyway is reported as such, for the audit log.
     */
    private RejectReason unsignedOrMalformed(String token) {
        try {
            Header header = Header.parse(new Base64URL(token.substring(0, token.indexOf('.'))));
            boolean disallowed = header instanceof PlainHeader || header instanceof JWEHeader
                    || (header instanceof JWSHeader jws && !algorithms.contains(jws.getAlgorithm()));
            return disallowed ? RejectReason.DISALLOWED_ALGORITHM : RejectReason.MALFORMED;
        } catch (ParseException e) {
            return RejectReason.MALFORMED;
        }
    }

    private static boolean isBase64UrlChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static AuthResult.Rejected rejected(RejectReason reason) {
        return AuthResult.Rejected.of(reason);
    }

    /** The verification rules; issuer and audience are required, the rest has safe defaults. */
    public static final class Builder {
        private final KeySource keys;
        private String issuer;
        private String audience;
        private String userClaim = "email";
        private Set<Algorithm> algorithms = EnumSet.of(Algorithm.RS256, Algorithm.ES256);
        private Duration clockSkew = Duration.ofSeconds(30);
        private int maxTokenLength = TokenExtractor.DEFAULT_MAX_TOKEN_LENGTH;
        private Clock clock = Clock.systemUTC();

        private Builder(KeySource keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
        }

        /** The exact {@code iss} (RFC 7519 §4.1.1: compared as a case-sensitive string). */
        public Builder issuer(String issuer) {
            this.issuer = nonBlank("issuer", issuer);
            return this;
        }

        /** The value {@code aud} must contain. */
        public Builder audience(String audience) {
            this.audience = nonBlank("audience", audience);
            return this;
        }

        /** The claim that names the user (default {@code email}). */
        public Builder userClaim(String claim) {
            this.userClaim = nonBlank("userClaim", claim);
            return this;
        }

        /** The allowed algorithms (default RS256 and ES256). */
        public Builder algorithms(Set<Algorithm> allowed) {
            if (allowed.isEmpty()) {
                throw new IllegalArgumentException("algorithms must name at least one algorithm");
            }
            this.algorithms = EnumSet.copyOf(allowed);
            return this;
        }

        /** Tolerated clock drift for exp, nbf and iat (default 30 s, at most 5 min). */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = checkedClockSkew(skew);
            return this;
        }

        public Builder maxTokenLength(int length) {
            this.maxTokenLength = checkedMaxTokenLength(length);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public JwtAuthenticator build() {
            if (issuer == null) {
                throw new IllegalStateException("issuer is required");
            }
            if (audience == null) {
                throw new IllegalStateException("audience is required");
            }
            return new JwtAuthenticator(this);
        }

        /** Every verifier's clock tolerance: 0 to 5 minutes. */
        static Duration checkedClockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("clockSkew must be between 0 and 5 minutes, was " + skew);
            }
            return skew;
        }

        /** Every token source's size bound: at least 64 characters. */
        static int checkedMaxTokenLength(int length) {
            if (length < 64) {
                throw new IllegalArgumentException("maxTokenLength must be at least 64 characters, was " + length);
            }
            return length;
        }

        static String nonBlank(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }
    }
}
