package io.scimitar.authn;

/** Where in the request a token was found; the order of the constants is the order of precedence. */
public enum TokenSource {
    /** {@code Authorization: Bearer <token>} (RFC 6750 §2.1). */
    AUTHORIZATION_HEADER(TokenFormat.IDP_JWT),
    /** ALB's {@code x-amzn-oidc-data} header, set by the load balancer after its OIDC login. */
    ALB_OIDC_DATA(TokenFormat.ALB_OIDC_DATA),
    /** The configured cookie (browser sessions that carry the IdP token themselves). */
    COOKIE(TokenFormat.IDP_JWT);

    private final TokenFormat format;

    TokenSource(TokenFormat format) {
        this.format = format;
    }

    /** The verifier this source's tokens go to. */
    public TokenFormat format() {
        return format;
    }
}
