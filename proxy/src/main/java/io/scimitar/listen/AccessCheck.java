package io.scimitar.listen;

import io.netty.handler.codec.http.HttpRequest;

/**
 * Decides, on the event loop and without blocking, whether a request with a normalized path may
 * reach the app, and as whom. The real decider (authentication, then policy) plugs in here.
 */
@FunctionalInterface
public interface AccessCheck {

    /** The verdict for {@code request}, whose path the policy must read as {@code normalizedPath}. */
    Verdict check(HttpRequest request, String normalizedPath);
}
