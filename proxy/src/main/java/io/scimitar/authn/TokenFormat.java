package io.scimitar.authn;

/**
 * Which verifier vouches for a token: the identity provider's JWKS, or the load balancer's
 * per-key PEM. A token verified by one is never accepted through the other.
 */
public enum TokenFormat {
    /** A JWT signed by the identity provider, from {@code Authorization: Bearer} or the cookie. */
    IDP_JWT,
    /** ALB's {@code x-amzn-oidc-data} user-claims token, signed by the load balancer. */
    ALB_OIDC_DATA
}
