package io.scimitar.e2e;

import io.scimitar.testing.RawClient;
import static io.scimitar.e2e.SidecarFixture.ADA;
import static io.scimitar.e2e.SidecarFixture.GRACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The path-normalization contract ({@code docs/path-normalization.md}) checked through real HTTP:
 * each request-target is written byte for byte on a socket, and either the app receives exactly
 * the normalized target, or the client gets the status and the app receives nothing. The policy
 * is judged on the normalized path, so a dot-segment trick cannot carry an engineer into
 * {@code /admin/**}.
 */
class PathNormalizationTest {

    @RegisterExtension
    static final SidecarFixture STACK = SidecarFixture.standard();

    /** A request-target, who sends it, and what the app must see ({@code forwardedAs}) or the status. */
    record Row(String target, String user, String forwardedAs, int status) {
        @Override
        public String toString() {
            String shown = target.length() > 60 ? target.substring(0, 40) + "…(" + target.length() + " chars)" : target;
            return shown + " as " + user.substring(0, user.indexOf('@')) + " → "
                    + (forwardedAs != null ? forwardedAs : Integer.toString(status));
        }
    }

    /** Forwarded for grace (an admin, allowed on /api/** and /admin/**) as {@code forwardedAs}. */
    static Row seen(String target, String forwardedAs) {
        return new Row(target, GRACE, forwardedAs, 200);
    }

    static Row refused(String target, int status) {
        return new Row(target, GRACE, null, status);
    }

    static Row refusedFor(String user, String target, int status) {
        return new Row(target, user, null, status);
    }

    static Stream<Row> table() {
        return Stream.of(
                seen("/api/users", "/api/users"),
                seen("/api/users/", "/api/users/"),
                seen("/api/%41b", "/api/Ab"),
                seen("/api/%7Euser", "/api/~user"),
                seen("/api/%7euser", "/api/~user"),
                seen("/api/a%2db%5fc%2E", "/api/a-b_c."),
                seen("/api/./x", "/api/x"),
                seen("/api//x", "/api/x"),
                seen("//api///x//", "/api/x/"),
                seen("/api/x/../y", "/api/y"),
                seen("/api/x/./../y/", "/api/y/"),
                seen("/api/x/%2e%2e/y", "/api/y"),
                seen("/api/x/.%2E/y", "/api/y"),
                seen("/api/x/%2E./y", "/api/y"),
                seen("/api/%2e/x", "/api/x"),
                seen("/api/x/..", "/api/"),
                seen("/api/.", "/api/"),
                seen("/api/a%20b", "/api/a%20b"),
                seen("/api/a%2ab", "/api/a%2Ab"),
                seen("/api/%252F", "/api/%252F"),
                seen("/api/a%252e%252e/x", "/api/a%252e%252e/x"),
                seen("/api/caf%c3%a9", "/api/caf%C3%A9"),
                seen("/api/%F0%9F%98%80", "/api/%F0%9F%98%80"),
                seen("/api/a|b", "/api/a%7Cb"),
                seen("/api/a:b@c!$&'()*+,=", "/api/a:b@c!$&'()*+,="),
                seen("/api/x?q=a%2Fb%20c&r=%2e%2e", "/api/x?q=a%2Fb%20c&r=%2e%2e"),
                seen("/api/x?path=../../etc/passwd", "/api/x?path=../../etc/passwd"),
                seen("/api/x?a=1;b=2", "/api/x?a=1;b=2"),
                seen("/api/x?", "/api/x"),
                seen("/api/../admin/x", "/admin/x"),
                seen("/api/x/../../admin/x", "/admin/x"),
                refused("/api/%2Fadmin", 400),
                refused("/api/a%2fb", 400),
                refused("/api/a%5Cb", 400),
                refused("/api/a%5cb", 400),
                refused("/api/a\\b", 400),
                refused("/api/a%00", 400),
                refused("/api/a%00.json", 400),
                refused("/api/../../x", 400),
                refused("/..", 400),
                refused("/%2e%2e/api/x", 400),
                refused("/api/%2E%2E/%2e%2E/x", 400),
                refused("/admin/..;/x", 400),
                refused("/api/..;/admin/x", 400),
                refused("/api;jsessionid=1", 400),
                refused("/api/a%3bb", 400),
                refused("/api/a#frag", 400),
                refused("/api/a%zz", 400),
                refused("/api/a%4", 400),
                refused("/api/%C0%AE%C0%AE/admin", 400),
                refused("/api/%C0%AFadmin", 400),
                refused("/api/%ED%A0%80", 400),
                refused("/api/%C3", 400),
                refused("/api/caf\u00e9", 400),
                refused("/api/a%0d%0aSet-Cookie:x", 400),
                refused("/api/a\tb", 400),
                refused("http://evil.example/api/x", 400),
                refused("*", 400),
                refused("/api/" + "a".repeat(8200), 414),
                refused("/api/" + "a".repeat(9000), 414),
                refused("/api/x?" + "q".repeat(8200), 414),
                // policy bypass attempts by ada, an engineer allowed only GET /api/**
                refusedFor(ADA, "/api/../admin/x", 403),
                refusedFor(ADA, "/api/%2e%2e/admin/x", 403),
                refusedFor(ADA, "/api/x/.%2e/../admin/x", 403),
                refusedFor(ADA, "//admin/x", 403),
                refusedFor(ADA, "/API/x", 403),
                refusedFor(ADA, "/api/..%2Fadmin/x", 400),
                refusedFor(ADA, "/api/..%5Cadmin/x", 400));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("table")
    void theAppSeesTheNormalizedTargetOrNothing(Row row) throws Exception {
        STACK.app().forget();

        var response = STACK.send(RawClient.get(row.target(), List.of(STACK.bearer(row.user()))));

        if (row.forwardedAs() != null) {
            assertThat(response.status()).isEqualTo(200);
            var seen = STACK.app().next();
            assertThat(seen.target()).isEqualTo(row.forwardedAs());
            assertThat(seen.header("x-scimitar-user")).isEqualTo(row.user());
        } else {
            assertThat(response.status()).isEqualTo(row.status());
            assertThat(response.body()).isEmpty();
            STACK.assertAppSawNothing();
        }
    }

    @Test
    void theTableHasAtLeastFortyRows() {
        assertThat(table()).hasSizeGreaterThanOrEqualTo(40);
    }
}
