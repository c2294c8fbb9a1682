package io.scimitar.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.scimitar.authz.Decision.Outcome;
import io.scimitar.authz.Decision.Reason;
import io.scimitar.authz.GroupRef.ByDisplayName;
import io.scimitar.authz.GroupRef.ByExternalId;
import io.scimitar.authz.GroupRef.ById;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision for a matched route and a known user, as a table: the route, the user's groups,
 * active flag and the directory's freshness in; the reason code out.
 */
class AuthorizerTest {

    private static final Policy POLICY = new PolicyLoader().parse("policy.yaml", """
            roles:
              engineers: [Eng, id:2819c223]
              partners: [externalId:00gPARTNERS]
              admins: [platform-admins]
            routes:
              - path: /healthz
                public: true
              - path: /api/**
                allow: [engineers, admins]
              - path: /partner/**
                allow: [partners]
              - path: /status/**
                allow: [engineers]
                stale: allow
            """.getBytes(StandardCharsets.UTF_8));

    private static final Optional<Decision.User> ALICE = Optional.of(new Decision.User("u-1", "alice@example.com"));
    private static final long VERSION = 4711;

    private final Authorizer authorizer = new Authorizer();

    /** The membership a set of group references gives: the index's job, done the obvious way. */
    private static GroupMembership memberOf(GroupRef... groups) {
        Set<GroupRef> set = Set.of(groups);
        return set::contains;
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                // path of the route, user's groups, active, directory stale, expected reason
                arguments("/healthz", memberOf(), true, false, Reason.PUBLIC_ROUTE),
                arguments("/healthz", memberOf(), false, true, Reason.PUBLIC_ROUTE),       // public needs no directory
                arguments("/api/x", memberOf(new ByDisplayName("eng")), true, false, Reason.ALLOWED_BY_ROLE),
                arguments("/api/x", memberOf(new ByDisplayName("ENG")), true, false, Reason.ALLOWED_BY_ROLE),
                arguments("/api/x", memberOf(new ById("2819c223")), true, false, Reason.ALLOWED_BY_ROLE),
                arguments("/api/x", memberOf(new ById("2819C223")), true, false, Reason.NO_MATCHING_ROLE), // ids are exact
                arguments("/api/x", memberOf(new ByDisplayName("platform-admins")), true, false, Reason.ALLOWED_BY_ROLE),
                arguments("/api/x", memberOf(new ByDisplayName("platform")), true, false, Reason.NO_MATCHING_ROLE),
                arguments("/api/x", memberOf(), true, false, Reason.NO_MATCHING_ROLE),
                arguments("/api/x", memberOf(new ByDisplayName("eng")), false, false, Reason.INACTIVE_USER),
                arguments("/api/x", memberOf(new ByDisplayName("eng")), false, true, Reason.INACTIVE_USER),
                arguments("/api/x", memberOf(new ByDisplayName("eng")), true, true, Reason.STALE_DIRECTORY),
                arguments("/api/x", memberOf(), true, true, Reason.STALE_DIRECTORY),
                arguments("/partner/x", memberOf(new ByExternalId("00gPARTNERS")), true, false, Reason.ALLOWED_BY_ROLE),
                arguments("/partner/x", memberOf(new ByExternalId("00gpartners")), true, false, Reason.NO_MATCHING_ROLE),
                arguments("/partner/x", memberOf(new ByDisplayName("00gPARTNERS")), true, false, Reason.NO_MATCHING_ROLE),
                arguments("/status/x", memberOf(new ByDisplayName("eng")), true, true, Reason.ALLOWED_BY_ROLE),  // stale: allow
                arguments("/status/x", memberOf(), true, true, Reason.NO_MATCHING_ROLE),
                arguments("/status/x", memberOf(new ByDisplayName("eng")), false, true, Reason.INACTIVE_USER));
    }

    @ParameterizedTest(name = "{0} {4}")
    @MethodSource("decisions")
    void decides(String path, GroupMembership groups, boolean active, boolean stale, Reason expected) {
        Route route = POLICY.match("GET", path).orElseThrow();

        Decision decision = authorizer.authorize(route, ALICE, active, groups, VERSION, stale);

        assertThat(decision.reason()).isEqualTo(expected);
        assertThat(decision.outcome()).isEqualTo(expected.outcome());
        assertThat(decision.allowed()).isEqualTo(expected.outcome() == Outcome.ALLOW);
        assertThat(decision.user()).isSameAs(ALICE);
        assertThat(decision.route()).isSameAs(route.asOptional());
        assertThat(decision.directoryVersion()).isEqualTo(VERSION);
    }

    @Test
    void asksForTheRoutesGroupsInFileOrderAndStopsAtTheFirstMember() {
        Route route = POLICY.match("GET", "/api/x").orElseThrow();
        StringBuilder asked = new StringBuilder();
        GroupMembership groups = group -> {
            asked.append(group.text()).append(' ');
            return group.equals(new ById("2819c223"));
        };

        assertThat(authorizer.authorize(route, ALICE, true, groups, VERSION, false).reason())
                .isEqualTo(Reason.ALLOWED_BY_ROLE);
        assertThat(asked.toString()).isEqualTo("Eng id:2819c223 ");
    }

    @Test
    void needsAKnownUser() {
        Route route = POLICY.match("GET", "/api/x").orElseThrow();

        assertThatThrownBy(() -> authorizer.authorize(route, Optional.empty(), true, memberOf(), VERSION, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a known directory user is required; use Decision.unknownUser");
    }

    @Test
    void theEarlyDecisionsCarryRouteAndVersionButNoUser() {
        Route route = POLICY.match("GET", "/api/x").orElseThrow();
        Route healthz = POLICY.match("GET", "/healthz").orElseThrow();

        assertThat(Decision.noRoute(7)).isEqualTo(new Decision(Outcome.DENY, Reason.NO_ROUTE, Optional.empty(),
                Optional.empty(), 7));
        assertThat(Decision.publicRoute(healthz, 7)).isEqualTo(new Decision(Outcome.ALLOW, Reason.PUBLIC_ROUTE,
                Optional.empty(), Optional.of(healthz), 7));
        assertThat(Decision.noToken(route, 7).reason()).isEqualTo(Reason.NO_TOKEN);
        assertThat(Decision.invalidToken(route, 7).reason()).isEqualTo(Reason.INVALID_TOKEN);
        assertThat(Decision.unknownUser(route, 7).reason()).isEqualTo(Reason.UNKNOWN_USER);
        assertThat(Stream.of(Decision.noToken(route, 7), Decision.invalidToken(route, 7), Decision.unknownUser(route, 7)))
                .allSatisfy(d -> {
                    assertThat(d.allowed()).isFalse();
                    assertThat(d.user()).isEmpty();
                    assertThat(d.route()).isSameAs(route.asOptional());
                    assertThat(d.directoryVersion()).isEqualTo(7);
                });
    }

    static Stream<Arguments> reasons() {
        return Stream.of(
                arguments(Reason.PUBLIC_ROUTE, Outcome.ALLOW, 0, "public_route"),
                arguments(Reason.ALLOWED_BY_ROLE, Outcome.ALLOW, 0, "allowed_by_role"),
                arguments(Reason.NO_ROUTE, Outcome.DENY, 403, "no_route"),
                arguments(Reason.NO_MATCHING_ROLE, Outcome.DENY, 403, "no_matching_role"),
                arguments(Reason.UNKNOWN_USER, Outcome.DENY, 403, "unknown_user"),
                arguments(Reason.INACTIVE_USER, Outcome.DENY, 403, "inactive_user"),
                arguments(Reason.NO_TOKEN, Outcome.DENY, 401, "no_token"),
                arguments(Reason.INVALID_TOKEN, Outcome.DENY, 401, "invalid_token"),
                arguments(Reason.STALE_DIRECTORY, Outcome.DENY, 503, "stale_directory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reasons")
    void eachReasonHasItsOutcomeStatusAndCode(Reason reason, Outcome outcome, int status, String code) {
        assertThat(reason.outcome()).isEqualTo(outcome);
        assertThat(reason.status()).isEqualTo(status);
        assertThat(reason.code()).isEqualTo(code);
        assertThat(Reason.values()).hasSize(9);
    }

    @Test
    void aDecisionCannotContradictItsReason() {
        Route route = POLICY.match("GET", "/api/x").orElseThrow();

        assertThatThrownBy(() -> new Decision(Outcome.ALLOW, Reason.NO_MATCHING_ROLE, ALICE, route.asOptional(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NO_MATCHING_ROLE is a reason to DENY, not ALLOW");
        assertThatThrownBy(() -> new Decision(Outcome.ALLOW, Reason.ALLOWED_BY_ROLE, ALICE, Optional.empty(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ALLOWED_BY_ROLE needs the matched route");
    }

    @Test
    void displayNameReferencesAreEqualIgnoringCaseLikeTheReceiversIndex() {
        assertThat(new ByDisplayName("Platform-Admins")).isEqualTo(new ByDisplayName("platform-admins"))
                .hasSameHashCodeAs(new ByDisplayName("PLATFORM-ADMINS"));
        assertThat(new ByDisplayName("Platform-Admins").displayName()).isEqualTo("Platform-Admins");
        assertThat(new ById("abc")).isNotEqualTo(new ById("ABC"));
        assertThat(new ByExternalId("abc")).isNotEqualTo(new ByExternalId("ABC"));
        assertThat((GroupRef) new ById("abc")).isNotEqualTo(new ByExternalId("abc"));
        assertThatThrownBy(() -> new ByDisplayName("Eng", "Eng")).isInstanceOf(IllegalArgumentException.class);
    }
}
