package io.scimitar.listen;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.scimitar.forward.ForwardedIdentity;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;

/** What an {@link AccessCheck} answers: forward as a verified identity, or refuse with a status and no reason. */
public sealed interface Verdict permits Verdict.Allow, Verdict.Deny, Verdict.Pending {

    /**
     * Forward the request; the app receives {@code identity} as {@code X-Scimitar-*} headers. The
     * {@code subject} is the directory user it was allowed as (empty on a public route), which
     * {@link LiveConnections} decides for again while a WebSocket or HTTP/2 connection stays open.
     */
    record Allow(ForwardedIdentity identity, Optional<Subject> subject) implements Verdict {
        public Allow {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(subject, "subject");
        }

        /** Allowed without a user to check again (a public route, or a check that names none). */
        public Allow(ForwardedIdentity identity) {
            this(identity, Optional.empty());
        }
    }

    /**
     * The authenticated user behind an allowed request.
     *
     * @param userClaim the value of the configured user claim, as the directory is looked up by it
     *     ({@link AccessDecider#decideFor})
     * @param userId the directory user's SCIM {@code id}, as {@code IndexUpdate.affectedUserIds} names users
     */
    record Subject(String userClaim, String userId) {
        public Subject {
            Objects.requireNonNull(userClaim, "userClaim");
            Objects.requireNonNull(userId, "userId");
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

    static Verdict allow(ForwardedIdentity identity, Subject subject) {
        return new Allow(identity, Optional.of(subject));
    }

    /**
     * Not yet: the token names a signing key that is being fetched right now. The listener holds
     * the request (reading nothing more from its connection) until {@code keyFetch} ends, then
     * asks once more; the answer then is final.
     */
    record Pending(CompletableFuture<?> keyFetch) implements Verdict {
        public Pending {
            Objects.requireNonNull(keyFetch, "keyFetch");
        }
    }

    static Verdict deny(Denial denial) {
        return new Deny(denial);
    }
}
