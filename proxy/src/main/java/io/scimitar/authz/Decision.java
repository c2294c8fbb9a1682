package io.scimitar.authz;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer for one request, as a value: allow or deny, why, who, which route, and the directory
 * version it was decided against. The same value feeds the response status, the audit line, the
 * metrics and {@code /explain}.
 *
 * @param outcome allow or deny; always {@link Reason#outcome()} of {@code reason}
 * @param reason the reason code
 * @param user the directory user, when the token named one that the directory knows
 * @param route the matched route; empty for {@link Reason#NO_ROUTE}
 * @param directoryVersion the directory version that was consulted (the current one, for
 *     decisions that did not need it)
 */
public record Decision(Outcome outcome, Reason reason, Optional<User> user, Optional<Route> route,
        long directoryVersion) {

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(route, "route");
        if (outcome != reason.outcome()) {
            throw new IllegalArgumentException(reason + " is a reason to " + reason.outcome() + ", not " + outcome);
        }
        if (reason != Reason.NO_ROUTE && route.isEmpty()) {
            throw new IllegalArgumentException(reason + " needs the matched route");
        }
    }

    /** No route matches the method and path: denied (403), whoever asks. */
    public static Decision noRoute(long directoryVersion) {
        return new Decision(Outcome.DENY, Reason.NO_ROUTE, Optional.empty(), Optional.empty(), directoryVersion);
    }

    /** The route is public: allowed without a token. */
    public static Decision publicRoute(Route route, long directoryVersion) {
        return new Decision(Outcome.ALLOW, Reason.PUBLIC_ROUTE, Optional.empty(), route.asOptional(), directoryVersion);
    }

    /** The route needs a token and the request carried none (401). */
    public static Decision noToken(Route route, long directoryVersion) {
        return new Decision(Outcome.DENY, Reason.NO_TOKEN, Optional.empty(), route.asOptional(), directoryVersion);
    }

    /** The route needs a token and the one presented failed verification (401). */
    public static Decision invalidToken(Route route, long directoryVersion) {
        return new Decision(Outcome.DENY, Reason.INVALID_TOKEN, Optional.empty(), route.asOptional(),
                directoryVersion);
    }

    /** The token is valid but names no user the directory knows, or a deleted one (403). */
    public static Decision unknownUser(Route route, long directoryVersion) {
        return new Decision(Outcome.DENY, Reason.UNKNOWN_USER, Optional.empty(), route.asOptional(),
                directoryVersion);
    }

    /**
     * The directory is stale and the route fails closed, for a token whose user the (stale)
     * directory does not know (503): the user may exist in the versions not received yet.
     */
    public static Decision staleDirectory(Route route, long directoryVersion) {
        return new Decision(Outcome.DENY, Reason.STALE_DIRECTORY, Optional.empty(), route.asOptional(),
                directoryVersion);
    }

    /** Whether the request may go to the app. */
    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }

    /** Allow or deny. */
    public enum Outcome {
        ALLOW,
        DENY
    }

    /** Why a request was allowed or denied. Reasons go to the audit log and metrics, never the response. */
    public enum Reason {
        /** The route needs no token. */
        PUBLIC_ROUTE(Outcome.ALLOW, 0),
        /** The user is in a group of a role the route allows. */
        ALLOWED_BY_ROLE(Outcome.ALLOW, 0),
        /** No route matches the path with this method (a method mismatch included): denied by default. */
        NO_ROUTE(Outcome.DENY, 403),
        /** The user is in no group of the roles the route allows. */
        NO_MATCHING_ROLE(Outcome.DENY, 403),
        /** The token's user claim matches no directory user (or a deleted one). */
        UNKNOWN_USER(Outcome.DENY, 403),
        /** The directory user is deactivated ({@code active: false}). */
        INACTIVE_USER(Outcome.DENY, 403),
        /** The route needs a token and there was none. */
        NO_TOKEN(Outcome.DENY, 401),
        /** The token failed verification (signature, issuer, audience, expiry, ...). */
        INVALID_TOKEN(Outcome.DENY, 401),
        /**
         * The directory is older than the staleness bound (or not loaded yet) and the route fails
         * closed: 503, since the request may succeed once the feed is back.
         */
        STALE_DIRECTORY(Outcome.DENY, 503);

        private final Outcome outcome;
        private final int status;
        private final String code;

        Reason(Outcome outcome, int status) {
            this.outcome = outcome;
            this.status = status;
            this.code = name().toLowerCase(Locale.ROOT);
        }

        /** The outcome this reason implies. */
        public Outcome outcome() {
            return outcome;
        }

        /**
         * The HTTP status of a denial: 401 when the token is missing or bad (with
         * {@code WWW-Authenticate}), 503 for a stale directory, 403 otherwise; 0 for the reasons that allow.
         */
        public int status() {
            return status;
        }

        /** The code for logs and metrics, e.g. {@code no_matching_role}; computed once, so using it allocates nothing. */
        public String code() {
            return code;
        }
    }

    /**
     * The directory user a decision is about.
     *
     * @param id the SCIM {@code id}
     * @param userName the SCIM {@code userName}
     */
    public record User(String id, String userName) {

        public User {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(userName, "userName");
        }
    }
}
