package io.scimitar.authn;

/**
 * Why a request's token was refused. The reason goes to the audit log and the metrics, never into
 * the response, which is always a bare 401 {@code invalid_token}.
 */
public enum RejectReason {
    /** No token in any enabled source. */
    MISSING,
    /** Not a well-formed compact JWS, or a required claim (such as {@code exp}) is absent or mistyped. */
    MALFORMED,
    /** The signature does not verify with the selected key. */
    BAD_SIGNATURE,
    /** The token names a key ({@code kid}) that the current key set does not hold. */
    UNKNOWN_KEY,
    /** {@code alg} is outside the allow-list ({@code none}, HMAC, JWE, or an algorithm the key cannot do). */
    DISALLOWED_ALGORITHM,
    /** {@code exp} (plus the clock skew) has passed. */
    EXPIRED,
    /** {@code nbf} or {@code iat} lies in the future beyond the clock skew. */
    NOT_YET_VALID,
    /** {@code iss} (or, for ALB tokens, the {@code signer} header) is not the configured one. */
    WRONG_ISSUER,
    /** {@code aud} does not contain the configured audience. */
    WRONG_AUDIENCE,
    /** {@code typ} is present and neither {@code JWT} nor {@code at+jwt}. */
    BAD_TYPE,
    /** A header that would let the token choose its own key or semantics: jku, x5u, jwk, x5c, crit, cty. */
    FORBIDDEN_HEADER,
    /** The configured user claim is absent, not a string, or blank. */
    MISSING_USER_CLAIM,
    /** The token is longer than the configured maximum; refused before any parsing. */
    TOO_LARGE,
    /** No verification keys have been fetched yet (the IdP has not answered since start). */
    KEYS_UNAVAILABLE
}
