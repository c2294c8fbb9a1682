package io.scimitar.forward;

import io.netty.handler.codec.http.HttpRequest;
import java.util.Objects;

/**
 * A request the listener has normalized and the access check has allowed: the message that starts
 * an exchange in {@link ForwardingHandler}. Its body follows as {@code HttpContent} messages.
 *
 * @param request the request as decoded; the forwarder rewrites its target and headers in place
 * @param target the normalized path and the raw query, as the app must receive them
 * @param identity the verified identity to send as {@code X-Scimitar-*} headers
 */
public record AdmittedRequest(HttpRequest request, String target, ForwardedIdentity identity) {

    public AdmittedRequest {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(identity, "identity");
    }
}
