package io.scimitar.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.scimitar.authn.RequestAuthenticator;
import io.scimitar.authn.RequestHeaders;
import io.scimitar.authn.Tokens;
import io.scimitar.authn.VerifiedTokenCache;
import io.scimitar.authz.Authorizer;
import io.scimitar.authz.Decision;
import io.scimitar.authz.Route;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.UserGroups;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.DirectoryService;
import io.scimitar.scim.store.JdbcStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole decision over the real pieces: a SQLite directory written through the SCIM service and
 * followed by the index, RS256 tokens verified against a JWKS served over loopback, a loaded policy.
 */
class AccessDeciderTest {

    private static final String POLICY = """
            roles:
              engineers: [eng]
              admins: [platform-admins]
            routes:
              - path: /healthz
                public: true
              - path: /admin/**
                allow: [admins]
              - path: /api/**
                methods: [GET, HEAD]
                allow: [engineers, admins]
            """;

    @TempDir
    Path folder;

    private DirectoryFixture fixture;
    private VerifiedTokenCache tokenCache;
    private JdbcStore store;
    private DirectoryService scim;
    private DirectoryIndex directory;
    private RequestAuthenticator authenticator;
    private AccessDecider decider;

    private String ada;
    private String eng;

    @BeforeEach
    void start() throws IOException {
        fixture = new DirectoryFixture(folder, POLICY);
        tokenCache = fixture.tokenCache;
        store = fixture.store;
        scim = fixture.scim;
        directory = fixture.directory;
        authenticator = fixture.authenticator;
        decider = fixture.decider;
        ada = fixture.createUser("ada", "ada@example.com");
        eng = fixture.createGroup("eng", ada);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aMemberOfAnAllowedGroupIsAllowedAtTheCurrentDirectoryVersion() {
        Decision decision = decide(bearer("ada@example.com"), "GET", "/api/things");

        assertThat(decision.reason()).isEqualTo(Decision.Reason.ALLOWED_BY_ROLE);
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.user()).contains(new Decision.User(ada, "ada"));
        assertThat(decision.route().map(Route::pattern)).contains("/api/**");
        assertThat(decision.directoryVersion()).isEqualTo(store.changeLog().currentVersion());
        // The same answer as the Authorizer asking the index reference by reference.
        var index = directory.current();
        var user = index.user("ada@example.com").orElseThrow();
        assertThat(new Authorizer().authorize(decision.route().orElseThrow(), user.asDecisionUser(), user.active(),
                new UserGroups(index, user), index.version(), false)).isEqualTo(decision);
    }

    @Test
    void aSecondRequestWithTheSameTokenIsAnsweredFromTheTokenCache() {
        RequestHeaders headers = bearer("ada@example.com");
        decide(headers, "GET", "/api/things");
        long misses = tokenCache.stats().missCount();

        assertThat(decide(headers, "HEAD", "/api/other").reason()).isEqualTo(Decision.Reason.ALLOWED_BY_ROLE);
        assertThat(tokenCache.stats().hitCount()).isEqualTo(1);
        assertThat(tokenCache.stats().missCount()).isEqualTo(misses);
    }

    @Test
    void requestsNoRouteMatchesAreDeniedWhoeverAsks() {
        Decision decision = decide(bearer("ada@example.com"), "POST", "/api/things");

        assertThat(decision.reason()).isEqualTo(Decision.Reason.NO_ROUTE);
        assertThat(decision.route()).isEmpty();
        assertThat(decide(headers(), "GET", "/elsewhere").reason()).isEqualTo(Decision.Reason.NO_ROUTE);
    }

    @Test
    void aPublicRouteIsAllowedWithoutAToken() {
        Decision decision = decide(headers(), "GET", "/healthz");

        assertThat(decision.reason()).isEqualTo(Decision.Reason.PUBLIC_ROUTE);
        assertThat(decision.user()).isEmpty();
        assertThat(decision.directoryVersion()).isEqualTo(store.changeLog().currentVersion());
    }

    @Test
    void aRouteThatNeedsATokenWithoutOneIsDeniedWithTheSameValueEachTime() {
        Decision first = decide(headers(), "GET", "/api/things");

        assertThat(first.reason()).isEqualTo(Decision.Reason.NO_TOKEN);
        assertThat(first.reason().status()).isEqualTo(401);
        // User-less denials are built once per policy and directory version: nothing allocated per request.
        assertThat(decide(headers(), "GET", "/api/things")).isSameAs(first);
    }

    @Test
    void aTokenThatFailsVerificationIsInvalid() {
        String foreign = Tokens.sign(Tokens.rsa("rsa-1"), Tokens.claims(Instant.now()).build()); // same kid, another key
        assertThat(decide(headers("Authorization", "Bearer " + foreign), "GET", "/api/x").reason())
                .isEqualTo(Decision.Reason.INVALID_TOKEN);
        assertThat(decide(headers("Authorization", "Bearer not.a.jwt"), "GET", "/api/x").reason())
                .isEqualTo(Decision.Reason.INVALID_TOKEN);
    }

    @Test
    void aValidTokenForNoDirectoryUserIsUnknown() {
        Decision decision = decide(bearer("mallory@example.com"), "GET", "/api/things");

        assertThat(decision.reason()).isEqualTo(Decision.Reason.UNKNOWN_USER);
        assertThat(decision.reason().status()).isEqualTo(403);
    }

    @Test
    void aDeactivatedUserIsDeniedOnTheNextRequest() {
        RequestHeaders headers = bearer("ada@example.com");
        assertThat(decide(headers, "GET", "/api/things").allowed()).isTrue();

        fixture.patch(ResourceType.USER, ada, "[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]");

        Decision decision = decide(headers, "GET", "/api/things");
        assertThat(decision.reason()).isEqualTo(Decision.Reason.INACTIVE_USER);
        assertThat(decision.directoryVersion()).isEqualTo(store.changeLog().currentVersion());
    }

    @Test
    void removalFromTheGroupDeniesTheNextDecision() {
        RequestHeaders headers = bearer("ada@example.com");
        long before = decide(headers, "GET", "/api/things").directoryVersion();

        fixture.patch(ResourceType.GROUP, eng, "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + ada + "\\\"]\"}]");

        Decision decision = decide(headers, "GET", "/api/things");
        assertThat(decision.reason()).isEqualTo(Decision.Reason.NO_MATCHING_ROLE);
        assertThat(decision.directoryVersion()).isGreaterThan(before);
    }

    @Test
    void aRenamedGroupNoLongerMatchesItsOldNameAndMatchesItsNewOne() {
        RequestHeaders headers = bearer("ada@example.com");
        String platform = fixture.createGroup("staff", Optional.empty());
        assertThat(decide(headers, "GET", "/admin/panel").reason()).isEqualTo(Decision.Reason.NO_MATCHING_ROLE);

        fixture.patch(ResourceType.GROUP, eng, "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"engineering\"}]");
        assertThat(decide(headers, "GET", "/api/things").reason()).isEqualTo(Decision.Reason.NO_MATCHING_ROLE);

        // A group renamed to a name the policy uses is matched from the next directory version on.
        fixture.patch(ResourceType.GROUP, platform, "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + ada + "\"}]},"
                + "{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"platform-admins\"}]");
        assertThat(decide(headers, "GET", "/admin/panel").reason()).isEqualTo(Decision.Reason.ALLOWED_BY_ROLE);
        assertThat(decide(headers, "GET", "/api/things").reason()).isEqualTo(Decision.Reason.ALLOWED_BY_ROLE);
    }

    @Test
    void referencesByIdAndExternalIdSurviveARenameAndFollowAPolicyReload() {
        String bob = fixture.createUser("bob", "bob@example.com");
        fixture.createGroup("Okta Admins", Optional.of("00g-admins"), bob);
        RequestHeaders adaHeaders = bearer("ada@example.com");
        RequestHeaders bobHeaders = bearer("bob@example.com");
        assertThat(decide(bobHeaders, "GET", "/admin/panel").reason()).isEqualTo(Decision.Reason.NO_MATCHING_ROLE);

        fixture.setPolicy("""
                roles:
                  admins: ["id:%s", "externalId:00g-admins"]
                routes:
                  - path: /admin/**
                    allow: [admins]
                """.formatted(eng));

        assertThat(decide(bobHeaders, "GET", "/admin/panel").reason()).isEqualTo(Decision.Reason.ALLOWED_BY_ROLE);
        assertThat(decide(adaHeaders, "GET", "/admin/panel").reason()).isEqualTo(Decision.Reason.ALLOWED_BY_ROLE);
        fixture.patch(ResourceType.GROUP, eng, "[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"renamed\"}]");
        assertThat(decide(adaHeaders, "GET", "/admin/panel").reason()).isEqualTo(Decision.Reason.ALLOWED_BY_ROLE);
        assertThat(decide(adaHeaders, "GET", "/api/things").reason()).isEqualTo(Decision.Reason.NO_ROUTE);
    }

    @Test
    void aDeletedGroupAllowsNoOne() {
        RequestHeaders headers = bearer("ada@example.com");
        assertThat(decide(headers, "GET", "/api/things").allowed()).isTrue();

        scim.delete(ResourceType.GROUP, eng, Optional.empty());

        assertThat(decide(headers, "GET", "/api/things").reason()).isEqualTo(Decision.Reason.NO_MATCHING_ROLE);
    }

    @Test
    void aDecisionAboutAUserIsMadeOncePerDirectoryVersionAndEqualsAFreshOne() {
        RequestHeaders headers = bearer("ada@example.com");
        Decision first = decide(headers, "GET", "/api/things");

        assertThat(decide(headers, "HEAD", "/api/other")).isSameAs(first);
        assertThat(decider.decideFor("ada@example.com", "GET", "/api/things")).isSameAs(first);
        var index = directory.current();
        var user = index.user("ada@example.com").orElseThrow();
        assertThat(first).isEqualTo(new Authorizer().authorize(first.route().orElseThrow(), user.asDecisionUser(),
                user.active(), new UserGroups(index, user), index.version(), false));
    }

    @Test
    void aMemoisedAllowIsNeverServedAfterTheUserLeavesTheGroup() {
        RequestHeaders headers = bearer("ada@example.com");
        Decision allowed = decide(headers, "GET", "/api/things");
        assertThat(decide(headers, "GET", "/api/things")).isSameAs(allowed);

        fixture.patch(ResourceType.GROUP, eng, "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + ada + "\\\"]\"}]");
        long removed = store.changeLog().currentVersion();

        for (Decision denied : List.of(decide(headers, "GET", "/api/things"),
                decider.decideFor("ada@example.com", "GET", "/api/things"))) {
            assertThat(denied.reason()).isEqualTo(Decision.Reason.NO_MATCHING_ROLE);
            assertThat(denied.directoryVersion()).isEqualTo(removed);
        }

        fixture.patch(ResourceType.GROUP, eng, "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + ada + "\"}]}]");
        Decision again = decide(headers, "GET", "/api/things");
        assertThat(again.reason()).isEqualTo(Decision.Reason.ALLOWED_BY_ROLE);
        assertThat(again.directoryVersion()).isEqualTo(store.changeLog().currentVersion()).isGreaterThan(removed);
        assertThat(again).isNotSameAs(allowed);
    }

    @Test
    void aChangeToAnotherUserStillGivesTheNextVersionInEveryDecision() {
        String bob = fixture.createUser("bob", "bob@example.com");
        RequestHeaders adaHeaders = bearer("ada@example.com");
        RequestHeaders bobHeaders = bearer("bob@example.com");
        Decision adaBefore = decide(adaHeaders, "GET", "/api/things");
        assertThat(decide(bobHeaders, "GET", "/api/things").reason()).isEqualTo(Decision.Reason.NO_MATCHING_ROLE);

        fixture.patch(ResourceType.GROUP, eng, "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + bob + "\"}]}]");

        Decision adaAfter = decide(adaHeaders, "GET", "/api/things");
        assertThat(adaAfter.reason()).isEqualTo(Decision.Reason.ALLOWED_BY_ROLE);
        assertThat(adaAfter.directoryVersion()).isGreaterThan(adaBefore.directoryVersion());
        assertThat(decide(bobHeaders, "GET", "/api/things").reason()).isEqualTo(Decision.Reason.ALLOWED_BY_ROLE);
        assertThat(decide(adaHeaders, "GET", "/api/things")).isSameAs(adaAfter);
    }

    @Test
    void aPolicyReloadAtTheSameDirectoryVersionIsDecidedAfresh() {
        RequestHeaders headers = bearer("ada@example.com");
        Decision allowed = decide(headers, "GET", "/api/things");

        fixture.setPolicy(POLICY.replace("allow: [engineers, admins]", "allow: [admins]"));

        Decision denied = decide(headers, "GET", "/api/things");
        assertThat(denied.reason()).isEqualTo(Decision.Reason.NO_MATCHING_ROLE);
        assertThat(denied.directoryVersion()).isEqualTo(allowed.directoryVersion());
    }

    @Test
    void stalenessThatComesAndGoesWithinOneVersionChangesTheDecisionBothWays() {
        AtomicBoolean stale = new AtomicBoolean();
        AccessDecider staleAware = new AccessDecider(fixture.policy::get, authenticator, directory, stale::get);
        RequestHeaders headers = bearer("ada@example.com");
        Decision allowed = staleAware.decide(headers, "GET", "/api/things");

        stale.set(true);
        Decision refused = staleAware.decide(headers, "GET", "/api/things");
        assertThat(refused.reason()).isEqualTo(Decision.Reason.STALE_DIRECTORY);
        assertThat(refused.directoryVersion()).isEqualTo(allowed.directoryVersion());
        assertThat(staleAware.decideFor("ada@example.com", "GET", "/api/things").reason())
                .isEqualTo(Decision.Reason.STALE_DIRECTORY);

        stale.set(false);
        assertThat(staleAware.decide(headers, "GET", "/api/things")).isEqualTo(allowed);
    }

    @Test
    void aUserAStaleDirectoryDoesNotKnowIsUnavailableRatherThanUnknown() {
        AtomicBoolean stale = new AtomicBoolean(true);
        AccessDecider staleAware = new AccessDecider(fixture.policy::get, authenticator, directory, stale::get);
        RequestHeaders stranger = bearer("nobody-yet@example.com");

        Decision refused = staleAware.decide(stranger, "GET", "/api/things");
        assertThat(refused.reason()).isEqualTo(Decision.Reason.STALE_DIRECTORY);
        assertThat(refused.reason().status()).isEqualTo(503);
        assertThat(refused.user()).isEmpty();

        stale.set(false);
        assertThat(staleAware.decide(stranger, "GET", "/api/things").reason()).isEqualTo(Decision.Reason.UNKNOWN_USER);
    }

    private Decision decide(RequestHeaders headers, String method, String path) {
        return decider.decide(headers, method, path);
    }

    private RequestHeaders bearer(String email) {
        return headers("Authorization", fixture.bearer(email));
    }

    private static RequestHeaders headers(String... nameValues) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return RequestHeaders.of(headers);
    }
}
