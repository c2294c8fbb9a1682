package io.scimitar.authz;

import java.util.Objects;
import java.util.Optional;

/**
 * Decides a request whose route is matched and whose token named a known directory user: public
 * route, inactive user, stale directory, then the route's groups in file order. The requests that
 * stop earlier (no route, no or bad token, unknown user, or a stale directory that does not know
 * the user) take {@link Decision}'s factories.
 *
 * <p>The allow path allocates only the {@link Decision}: the route's groups are an array walked by
 * index, the route and the user arrive as ready-made {@code Optional}s.
 */
public final class Authorizer {

    /**
     * Decides for a verified token whose user the directory knows.
     *
     * @param route the route {@link RouteTable#match} returned
     * @param user the directory user; the membership index keeps one {@code Optional} per user, so
     *     passing it allocates nothing
     * @param active the user's SCIM {@code active} flag
     * @param groups the user's groups at {@code directoryVersion}
     * @param directoryVersion the directory version {@code active} and {@code groups} come from
     * @param directoryStale whether that version is older than the staleness bound
     */
    public Decision authorize(Route route, Optional<Decision.User> user, boolean active, GroupMembership groups,
            long directoryVersion, boolean directoryStale) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(groups, "groups");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("a known directory user is required; use Decision.unknownUser");
        }
        if (route.isPublic()) {
            return decision(Decision.Reason.PUBLIC_ROUTE, user, route, directoryVersion);
        }
        if (!active) {
            return decision(Decision.Reason.INACTIVE_USER, user, route, directoryVersion);
        }
        if (directoryStale && route.whenStale() == WhenStale.DENY) {
            return decision(Decision.Reason.STALE_DIRECTORY, user, route, directoryVersion);
        }
        for (GroupRef group : route.groupArray()) {
            if (groups.isMember(group)) {
                return decision(Decision.Reason.ALLOWED_BY_ROLE, user, route, directoryVersion);
            }
        }
        return decision(Decision.Reason.NO_MATCHING_ROLE, user, route, directoryVersion);
    }

    private static Decision decision(Decision.Reason reason, Optional<Decision.User> user, Route route,
            long directoryVersion) {
        return new Decision(reason.outcome(), reason, user, route.asOptional(), directoryVersion);
    }
}
