package io.scimitar.listen;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.scimitar.forward.ForwardedIdentity;
import java.util.Objects;

/** What an {@link AccessCheck} answers: forward as a verified identity, or refuse with a status and no reason. */
public sealed interface Verdict permits Verdict.Allow, Verdict.Deny {

    /** Forward the request; the app receives {@code identity} as {@code X-Scimitar-*} headers. */
    record Allow(ForwardedIdentity identity) implements Verdict {
        public Allow {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /** Answer {@code denial}'s status with an empty body; the reason stays in the audit log. */
    record Deny(Denial denial) implements Verdict {
        public Deny {
            Objects.requireNonNull(denial, "denial");
        }
    }

    /** The ways a request is refused, each with its status. */
    enum Denial {
        /** No valid token: 401 with {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750 §3). */
        UNAUTHENTICATED(HttpResponseStatus.UNAUTHORIZED),
        /** A valid user the policy does not allow on this route. */
        FORBIDDEN(HttpResponseStatus.FORBIDDEN),
        /** The decision cannot be made now (the directory is too stale and the route fails closed). */
        UNAVAILABLE(HttpResponseStatus.SERVICE_UNAVAILABLE);

        private final HttpResponseStatus status;

        Denial(HttpResponseStatus status) {
            this.status = status;
        }

        public HttpResponseStatus status() {
            return status;
        }
    }

    static Verdict allow(ForwardedIdentity identity) {
        return new Allow(identity);
    }

    static Verdict deny(Denial denial) {
        return new Deny(denial);
    }
}
