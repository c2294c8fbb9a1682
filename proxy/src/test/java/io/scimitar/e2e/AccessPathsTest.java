package io.scimitar.e2e;

import io.scimitar.testing.RawClient;
import static io.scimitar.e2e.SidecarFixture.ADA;
import static io.scimitar.e2e.SidecarFixture.GRACE;
import static io.scimitar.e2e.SidecarFixture.KEN;
import static io.scimitar.e2e.SidecarFixture.LINUS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a request is allowed or denied, through the real sidecar: what the client gets, and
 * what the app sees (the request with the verified identity, or nothing at all).
 */
class AccessPathsTest {

    @RegisterExtension
    static final SidecarFixture STACK = SidecarFixture.standard();

    /** One row: a request, who presents what, the status, and the identity the app must see (null: none). */
    record Case(String name, String method, String target, Function<SidecarFixture, List<String>> credentials,
            int status, String appSeesUser, String appSeesGroups) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case allowed(String name, String method, String target, Function<SidecarFixture, List<String>> credentials,
            String user, String groups) {
        return new Case(name, method, target, credentials, 200, user, groups);
    }

    static Case denied(String name, String method, String target, Function<SidecarFixture, List<String>> credentials,
            int status) {
        return new Case(name, method, target, credentials, status, null, null);
    }

    static Function<SidecarFixture, List<String>> none() {
        return f -> List.of();
    }

    static Function<SidecarFixture, List<String>> bearer(String user) {
        return f -> List.of(f.bearer(user));
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a public route without a token", "GET", "/healthz", none(), 200, null, null),
                new Case("a public subtree without a token", "GET", "/public/docs/a.html", none(), 200, null, null),
                denied("no token", "GET", "/api/things", none(), 401),
                denied("a bearer that is not a JWT", "GET", "/api/things",
                        f -> List.of("Authorization: Bearer not-a-token"), 401),
                denied("an empty bearer", "GET", "/api/things", f -> List.of("Authorization: Bearer "), 401),
                denied("basic instead of bearer", "GET", "/api/things",
                        f -> List.of("Authorization: Basic YWRhOnNlY3JldA=="), 401),
                denied("a valid token for a user the directory does not know", "GET", "/api/things",
                        bearer("nobody@example.com"), 403),
                denied("an inactive user", "GET", "/api/things", bearer(KEN), 403),
                denied("a user in no allowed group", "GET", "/api/things", bearer(LINUS), 403),
                allowed("an engineer, RS256", "GET", "/api/things", bearer(ADA), ADA, "eng"),
                allowed("an engineer, ES256", "GET", "/api/things?page=2",
                        f -> List.of("Authorization: Bearer " + f.ecToken(ADA)), ADA, "eng"),
                allowed("an engineer, HEAD", "HEAD", "/api/things", bearer(ADA), ADA, "eng"),
                allowed("an engineer, token in the cookie", "GET", "/api/things",
                        f -> List.of("Cookie: theme=dark; " + SidecarFixture.COOKIE + "=" + f.token(ADA)), ADA, "eng"),
                denied("an engineer POSTing where only GET and HEAD are theirs", "POST", "/api/things", bearer(ADA), 403),
                denied("an engineer DELETEing", "DELETE", "/api/things/7", bearer(ADA), 403),
                allowed("an admin POSTing to the same path", "POST", "/api/things", bearer(GRACE), GRACE,
                        "platform-admins"),
                denied("an engineer on the admin routes", "GET", "/admin/users", bearer(ADA), 403),
                allowed("an admin on the admin routes", "GET", "/admin/users", bearer(GRACE), GRACE, "platform-admins"),
                denied("an admin on a path no route matches", "GET", "/reports/q3", bearer(GRACE), 403),
                denied("no token on a path no route matches", "GET", "/reports/q3", none(), 403),
                denied("the admin prefix without its subtree", "GET", "/administrator", bearer(GRACE), 403),
                denied("an inactive user with the cookie", "GET", "/api/things",
                        f -> List.of("Cookie: " + SidecarFixture.COOKIE + "=" + f.token(KEN)), 403),
                denied("a garbage cookie", "GET", "/api/things",
                        f -> List.of("Cookie: " + SidecarFixture.COOKIE + "=garbage"), 401));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theClientGetsTheStatusAndTheAppSeesTheVerifiedIdentityOrNothing(Case c) throws Exception {
        STACK.app().forget();
        var headers = new ArrayList<>(c.credentials().apply(STACK));
        boolean hasBody = c.method().equals("POST");
        if (hasBody) {
            headers.add("Content-Length: 5");
        }
        String request = RawClient.request(c.method(), c.target(), headers) + (hasBody ? "hello" : "");

        var response = STACK.send(request);

        assertThat(response.status()).isEqualTo(c.status());
        if (c.status() == 200) {
            var seen = STACK.app().next();
            assertThat(seen.method()).isEqualTo(c.method());
            assertThat(seen.target()).isEqualTo(c.target());
            assertThat(seen.header("x-scimitar-user")).isEqualTo(c.appSeesUser());
            assertThat(seen.header("x-scimitar-groups")).isEqualTo(c.appSeesGroups());
            if (c.appSeesUser() == null) {
                assertThat(seen.headers().keySet()).noneMatch(name -> name.startsWith("x-scimitar-"));
            } else {
                assertThat(seen.header("x-scimitar-user-id")).isEqualTo(STACK.userId(c.appSeesUser()));
            }
            if (hasBody) {
                assertThat(new String(seen.body())).isEqualTo("hello");
            }
            assertThat(seen.header("authorization")).as("the token is passed on to the app")
                    .isEqualTo(headers.stream().filter(h -> h.startsWith("Authorization: "))
                            .map(h -> h.substring("Authorization: ".length())).findFirst().orElse(null));
        } else {
            assertThat(response.body()).as("a refusal says nothing about why").isEmpty();
            assertThat(response.headers().get("www-authenticate"))
                    .isEqualTo(c.status() == 401 ? "Bearer error=\"invalid_token\"" : null);
            STACK.assertAppSawNothing();
        }
    }
}
