package io.scimitar.authn;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The authentication step of the request path: answer from the verified-token cache by the raw
 * header value, and only on a miss extract the token and verify it with the verifier its source
 * calls for. The pipeline calls
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

    /**
     * The request's identity, or why it has none. The cache is asked first with the token's header
     * value exactly as received, before any extraction: a hit copies and parses nothing. Only a value
     * that was extracted and verified is ever stored, and only when its header appears once, so a
     * request the extractor would refuse (a repeated header, a bad scheme, an oversized value) is
     * never a hit; a different spelling of the same token ({@code bearer}, extra spaces) is a miss
     * that extraction and verification answer afresh.
     */
    public AuthResult authenticate(RequestHeaders headers) {
        TokenSource source = extractor.firstPresent(headers);
        String headerValue = source == null ? null : headers.onlyValue(TokenExtractor.headerName(source));
        if (headerValue != null) {
            VerifiedToken hit = cache.findHeader(headerValue, source);
            if (hit != null) {
                return hit;
            }
        }
        return switch (extractor.extract(headers)) {
            case AuthResult.Rejected rejected -> rejected;
            case ExtractedToken found when headerValue != null && found.source() == source -> {
                AuthResult result = verify(found.token(), source.format());
                if (result instanceof VerifiedToken verified) {
                    cache.putHeader(headerValue, source, verified);
                }
                yield result;
            }
            // A cookie split over several headers (RFC 9113 §8.2.3): no single value to key by.
            case ExtractedToken found -> authenticate(found.token(), found.source().format());
        };
    }

    /** Authenticates a token already taken from the request. */
    public AuthResult authenticate(String token, TokenFormat format) {
        VerifiedToken hit = cache.find(token, format);
        if (hit != null) {
            return hit;
        }
        AuthResult result = verify(token, format);
        if (result instanceof VerifiedToken verified) {
            cache.put(token, verified);
        }
        return result;
    }

    /**
     * When the request's token was refused because the key it names is being fetched right now,
     * that fetch: the listener holds the request until it ends and decides again, so the first
     * request after a key rotation (or an ALB's first token with a new {@code kid}) is not refused.
     * Null otherwise. Called only after a refusal, never on the cache-hit path.
     */
    public CompletableFuture<?> keyArrival(RequestHeaders headers) {
        if (!(extractor.extract(headers) instanceof ExtractedToken found)) {
            return null;
        }
        return switch (found.source().format()) {
            case IDP_JWT -> jwt == null ? null : jwt.keyArrival(found.token());
            case ALB_OIDC_DATA -> alb == null ? null : alb.keyArrival(found.token());
        };
    }

    private AuthResult verify(String token, TokenFormat format) {
        return switch (format) {
            case IDP_JWT -> jwt == null ? AuthResult.Rejected.of(RejectReason.MISSING) : jwt.authenticate(token);
            case ALB_OIDC_DATA -> alb == null ? AuthResult.Rejected.of(RejectReason.MISSING) : alb.verify(token);
        };
    }
}
