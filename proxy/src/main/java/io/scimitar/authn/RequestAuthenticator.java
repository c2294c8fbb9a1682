package io.scimitar.authn;

import java.util.Objects;
import java.util.Optional;

/**
 * The authentication step of the request path: find the token, answer from the verified-token
 * cache, and only on a miss verify it with the verifier its source calls for. The pipeline calls
 * this once per request, on the event loop; nothing here blocks.
 */
public final class RequestAuthenticator {

    private final TokenExtractor extractor;
    private final JwtAuthenticator jwt; // null when no IdP JWT source is configured
    private final AlbOidcDataVerifier alb; // null when ALB is not configured
    private final VerifiedTokenCache cache;

    /**
     * @throws IllegalArgumentException when neither verifier is given
     */
    public RequestAuthenticator(TokenExtractor extractor, Optional<JwtAuthenticator> jwt,
            Optional<AlbOidcDataVerifier> alb, VerifiedTokenCache cache) {
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        this.jwt = jwt.orElse(null);
        this.alb = alb.orElse(null);
        this.cache = Objects.requireNonNull(cache, "cache");
        if (this.jwt == null && this.alb == null) {
            throw new IllegalArgumentException("configure a JWT authenticator, an ALB verifier, or both");
        }
    }

    /** The request's identity, or why it has none. */
    public AuthResult authenticate(RequestHeaders headers) {
        return switch (extractor.extract(headers)) {
            case AuthResult.Rejected rejected -> rejected;
            case ExtractedToken found -> authenticate(found.token(), found.source().format());
        };
    }

    /** Authenticates a token already taken from the request. */
    public AuthResult authenticate(String token, TokenFormat format) {
        VerifiedToken hit = cache.find(token, format);
        if (hit != null) {
            return hit;
        }
        AuthResult result = switch (format) {
            case IDP_JWT -> jwt == null ? AuthResult.Rejected.of(RejectReason.MISSING) : jwt.authenticate(token);
            case ALB_OIDC_DATA -> alb == null ? AuthResult.Rejected.of(RejectReason.MISSING) : alb.verify(token);
        };
        if (result instanceof VerifiedToken verified) {
            cache.put(token, verified);
        }
        return result;
    }
}
