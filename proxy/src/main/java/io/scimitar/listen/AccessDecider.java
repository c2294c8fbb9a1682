package io.scimitar.listen;

import io.scimitar.authn.AuthResult;
import io.scimitar.authn.RejectReason;
import io.scimitar.authn.RequestAuthenticator;
import io.scimitar.authn.RequestHeaders;
import io.scimitar.authn.VerifiedToken;
import io.scimitar.authz.Authorizer;
import io.scimitar.authz.Decision;
import io.scimitar.authz.GroupRef;
import io.scimitar.authz.Policy;
import io.scimitar.authz.PolicyWatcher;
import io.scimitar.authz.Route;
import io.scimitar.authz.WhenStale;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.DirectoryUser;
import io.scimitar.index.MembershipIndex;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The request path's whole access decision: route match, token, directory user, groups, in the
 * {@link Authorizer}'s order and with its reasons. One policy and one directory version are read
 * once per request and used throughout, so a reload or a directory change never splits a decision.
 *
 * <p>The policy's group references are resolved to directory ordinals once per (policy, directory
 * version) pair, not per request: a {@code GroupRef} lookup walks up to three hash tries (~100 ns
 * each), while a resolved route is an {@code int[]} checked by binary search in the user's sorted
 * groups. The same table holds the decisions that name no user (no route, public, no token, bad
 * token, unknown user), built once per pair, and memoises each decision about a user the first time
 * it is made at that pair, so a request on a token-cache hit allocates nothing (DecisionBenchmark).
 */
public final class AccessDecider {

    private final Supplier<Policy> policy;
    private final RequestAuthenticator authenticator;
    private final DirectoryIndex directory;
    private final BooleanSupplier directoryStale;
    /** The table of the last (policy, index) pair seen; replaced whole, never changed. */
    private volatile Resolved resolved;

    /**
     * @param policy the current policy, e.g. {@code PolicyWatcher::current}; read once per request
     * @param authenticator the token step, with its verified-token cache
     * @param directory the directory whose current version every decision consults
     * @param directoryStale whether the directory is older than the staleness bound right now; read
     *     only for a token naming an unknown or an active user on a route that needs a token
     */
    public AccessDecider(Supplier<Policy> policy, RequestAuthenticator authenticator, DirectoryIndex directory,
            BooleanSupplier directoryStale) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.directoryStale = Objects.requireNonNull(directoryStale, "directoryStale");
    }

    /** A decider for a directory that is never stale (embedded mode: the index follows the store's own log). */
    public AccessDecider(Supplier<Policy> policy, RequestAuthenticator authenticator, DirectoryIndex directory) {
        this(policy, authenticator, directory, () -> false);
    }

    /**
     * Decides one request.
     *
     * @param method the request method, case-sensitive
     * @param normalizedPath the path as {@code PathNormalizer} produced it; anything else matches no route
     */
    public Decision decide(RequestHeaders headers, String method, String normalizedPath) {
        return decide(method, normalizedPath, Objects.requireNonNull(headers, "headers"), null);
    }

    /**
     * Decides for a user already authenticated, by the value of the configured user claim: what
     * {@code /explain} shows, and how an open WebSocket or HTTP/2 connection is checked again when
     * the directory changes. The route must need a token (a public or unmatched route is decided
     * as {@link #decide} would, without a user).
     */
    public Decision decideFor(String userClaim, String method, String normalizedPath) {
        return decide(method, normalizedPath, null, Objects.requireNonNull(userClaim, "userClaim"));
    }

    /**
     * After an {@code invalid_token} decision: the fetch of the signing key the request's token
     * names, when one is running (the request may wait for it); null otherwise.
     */
    public CompletableFuture<?> keyArrival(RequestHeaders headers) {
        return authenticator.keyArrival(headers);
    }

    /** The decision, from the request's token when {@code headers} is given, else for {@code userClaim}. */
    private Decision decide(String method, String normalizedPath, RequestHeaders headers, String userClaim) {
        Policy currentPolicy = policy.get();
        MembershipIndex index = directory.current();
        Resolved table = resolvedFor(currentPolicy, index);
        Optional<Route> matched = currentPolicy.match(method, normalizedPath);
        if (matched.isEmpty()) {
            return table.noRoute;
        }
        Route route = matched.get();
        int at = route.index();
        if (route.isPublic()) {
            return table.publicRoute[at];
        }
        String user = userClaim;
        if (headers != null) {
            switch (authenticator.authenticate(headers)) {
                case AuthResult.Rejected rejected -> {
                    return rejected.reason() == RejectReason.MISSING ? table.noToken[at] : table.invalidToken[at];
                }
                case VerifiedToken verified -> user = verified.user();
            }
        }
        return decideUser(table, index, route, user);
    }

    private Decision decideUser(Resolved table, MembershipIndex index, Route route, String userClaim) {
        int at = route.index();
        Optional<DirectoryUser> found = index.user(userClaim);
        if (found.isEmpty()) {
            // A stale directory may simply not have this user yet: fail closed as unavailable, not forbidden.
            return route.whenStale() == WhenStale.DENY && directoryStale.getAsBoolean()
                    ? table.staleDirectory[at] : table.unknownUser[at];
        }
        DirectoryUser user = found.get();
        Decision.Reason reason;
        if (!user.active()) {
            reason = Decision.Reason.INACTIVE_USER;
        } else if (route.whenStale() == WhenStale.DENY && directoryStale.getAsBoolean()) {
            reason = Decision.Reason.STALE_DIRECTORY;
        } else {
            reason = table.admits(user, at) ? Decision.Reason.ALLOWED_BY_ROLE : Decision.Reason.NO_MATCHING_ROLE;
        }
        return table.decision(user, route, reason);
    }

    /** The table for this pair: the cached one when both are the same instances, else a new one swapped in. */
    private Resolved resolvedFor(Policy currentPolicy, MembershipIndex index) {
        Resolved table = resolved;
        if (table != null && table.policy == currentPolicy && table.index == index) {
            return table;
        }
        // Two threads may both rebuild after a change; both tables are equal, and the last write wins.
        table = new Resolved(currentPolicy, index);
        resolved = table;
        return table;
    }

    /**
     * A policy resolved against one directory version: each route's group ordinals, its user-less
     * decisions, and the decisions about users made so far.
     */
    private static final class Resolved {

        final Policy policy;
        final MembershipIndex index;
        /** Per route index: the ordinals of its groups that exist in this version, in file order. */
        final int[][] ordinals;
        final Decision noRoute;
        final Decision[] publicRoute;
        final Decision[] noToken;
        final Decision[] invalidToken;
        final Decision[] unknownUser;
        final Decision[] staleDirectory;
        /**
         * Per user of {@link #index}, by identity: the last decision made about it on each route
         * (index = route index), or null. A decision is a value of (user, route, reason, version):
         * the version is this table's, the user the key, the route the slot, and a slot is reused
         * only for the same reason, so a memoised decision is never stale. A change of a user's
         * groups or active flag is a new directory version, hence a new table with an empty map.
         * At most one entry per user of this version (~130 B each with 20 routes, plus the
         * decisions made); the whole map goes with the table.
         */
        private final ConcurrentHashMap<DirectoryUser, Decision[]> byUser = new ConcurrentHashMap<>();

        Resolved(Policy policy, MembershipIndex index) {
            this.policy = policy;
            this.index = index;
            long version = index.version();
            List<Route> routes = policy.routes();
            int count = routes.size();
            this.ordinals = new int[count][];
            this.noRoute = Decision.noRoute(version);
            this.publicRoute = new Decision[count];
            this.noToken = new Decision[count];
            this.invalidToken = new Decision[count];
            this.unknownUser = new Decision[count];
            this.staleDirectory = new Decision[count];
            for (Route route : routes) {
                int at = route.index();
                ordinals[at] = route.groups().stream()
                        .map(index::groupOrdinal)
                        .filter(OptionalInt::isPresent) // a reference that names no group (or an ambiguous one) allows no one
                        .mapToInt(OptionalInt::getAsInt)
                        .toArray();
                publicRoute[at] = route.isPublic() ? Decision.publicRoute(route, version) : null;
                noToken[at] = Decision.noToken(route, version);
                invalidToken[at] = Decision.invalidToken(route, version);
                unknownUser[at] = Decision.unknownUser(route, version);
                staleDirectory[at] = Decision.staleDirectory(route, version);
            }
        }

        /** Whether {@code user} is in one of the route's groups (a few binary searches). */
        boolean admits(DirectoryUser user, int routeIndex) {
            for (int ordinal : ordinals[routeIndex]) {
                if (user.isMemberOf(ordinal)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The decision with this reason about {@code user} (of {@link #index}) on {@code route}: the
         * memoised one when the last decision there had the same reason, else a new one remembered in
         * its place. Racing threads may each build one (equal values for one reason), and a slot read
         * without a lock sees either null or a whole {@code Decision} (its fields are final).
         */
        Decision decision(DirectoryUser user, Route route, Decision.Reason reason) {
            Decision[] slots = byUser.get(user);
            if (slots == null) {
                slots = new Decision[ordinals.length];
                Decision[] first = byUser.putIfAbsent(user, slots);
                if (first != null) {
                    slots = first;
                }
            }
            int at = route.index();
            Decision decision = slots[at];
            if (decision == null || decision.reason() != reason) {
                decision = new Decision(reason.outcome(), reason, user.asDecisionUser(), route.asOptional(),
                        index.version());
                slots[at] = decision;
            }
            return decision;
        }
    }
}
