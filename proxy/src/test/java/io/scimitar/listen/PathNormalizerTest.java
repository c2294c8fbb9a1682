package io.scimitar.listen;

import static io.scimitar.listen.PathNormalizer.Reason.ABOVE_ROOT;
import static io.scimitar.listen.PathNormalizer.Reason.BACKSLASH;
import static io.scimitar.listen.PathNormalizer.Reason.BAD_PERCENT_ENCODING;
import static io.scimitar.listen.PathNormalizer.Reason.CONTROL_CHARACTER;
import static io.scimitar.listen.PathNormalizer.Reason.ENCODED_BACKSLASH;
import static io.scimitar.listen.PathNormalizer.Reason.ENCODED_SLASH;
import static io.scimitar.listen.PathNormalizer.Reason.FRAGMENT;
import static io.scimitar.listen.PathNormalizer.Reason.INVALID_CHARACTER;
import static io.scimitar.listen.PathNormalizer.Reason.INVALID_UTF8;
import static io.scimitar.listen.PathNormalizer.Reason.NON_ASCII;
import static io.scimitar.listen.PathNormalizer.Reason.NOT_ORIGIN_FORM;
import static io.scimitar.listen.PathNormalizer.Reason.NUL;
import static io.scimitar.listen.PathNormalizer.Reason.PATH_PARAMETER;
import static io.scimitar.listen.PathNormalizer.Reason.TOO_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.scimitar.listen.PathNormalizer.Normalized;
import io.scimitar.listen.PathNormalizer.Reason;
import io.scimitar.listen.PathNormalizer.Rejected;
import io.scimitar.listen.PathNormalizer.Result;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The path-normalization catalogue: a request-target as a client sends it, and the path and query
 * the policy matches and the app receives, or the reason it is refused. The same table is in
 * {@code docs/path-normalization.md}.
 */
class PathNormalizerTest {

    private static final PathNormalizer NORMALIZER = new PathNormalizer();

    private static Arguments ok(String target, String path) {
        return arguments(target, path, "", null);
    }

    private static Arguments ok(String target, String path, String query) {
        return arguments(target, path, query, null);
    }

    private static Arguments no(String target, Reason reason) {
        return arguments(target, null, null, reason);
    }

    static Stream<Arguments> catalogue() {
        return Stream.of(
                // plain and already normal
                ok("/", "/"),
                ok("/api/users", "/api/users"),
                ok("/api/users/", "/api/users/"),
                ok("/Admin/USERS", "/Admin/USERS"),
                ok("/a:b@c!$&'()*+,=", "/a:b@c!$&'()*+,="),
                ok("/a/.hidden", "/a/.hidden"),
                ok("/a/...", "/a/..."),
                ok("/a/..b", "/a/..b"),
                ok("/a/b.", "/a/b."),
                ok("/a/b..", "/a/b.."),
                // the query: split at the first '?', passed through untouched
                ok("/api/users?limit=10&sort=name", "/api/users", "limit=10&sort=name"),
                ok("/a?b=../x", "/a", "b=../x"),
                ok("/a?b=1/../..//c", "/a", "b=1/../..//c"),
                ok("/a?x=%2F%2e%2e%00", "/a", "x=%2F%2e%2e%00"),
                ok("/a?q=%zz", "/a", "q=%zz"),
                ok("/a?q=\\x", "/a", "q=\\x"),
                ok("/a?x=1;y=2", "/a", "x=1;y=2"),
                ok("/a??b", "/a", "?b"),
                ok("/a?", "/a"),
                ok("/a/../b?c", "/b", "c"),
                // merged slashes
                ok("//a//b", "/a/b"),
                ok("//", "/"),
                ok("/a//", "/a/"),
                ok("///admin", "/admin"),
                ok("//evil.example/admin", "/evil.example/admin"),
                // dot segments (RFC 3986 §5.2.4)
                ok("/a/./b", "/a/b"),
                ok("/a/../b", "/b"),
                ok("/public/../admin", "/admin"),
                ok("/a/b/../..", "/"),
                ok("/a/..", "/"),
                ok("/a/b/..", "/a/"),
                ok("/api/.", "/api/"),
                ok("/api/./", "/api/"),
                ok("/.", "/"),
                ok("/./admin", "/admin"),
                ok("/a/./b/../c//d/%2e/e", "/a/c/d/e"),
                no("/..", ABOVE_ROOT),
                no("/../a", ABOVE_ROOT),
                no("/a/b/../../..", ABOVE_ROOT),
                no("/a/../../a", ABOVE_ROOT),
                // encoded dots count as dots: decoded before dot-segment removal
                ok("/%2e", "/"),
                ok("/a/%2e/b", "/a/b"),
                ok("/a/%2e%2e/b", "/b"),
                ok("/a/.%2E/b", "/b"),
                ok("/a/%2E./b", "/b"),
                ok("/a/%2E%2e/", "/"),
                ok("/public/%2e%2e/admin", "/admin"),
                ok("/a/%2E%2E%2E", "/a/..."),
                no("/%2e%2e/a", ABOVE_ROOT),
                no("/.%2e/.%2e/etc/passwd", ABOVE_ROOT),
                // escaped unreserved characters are decoded; others keep their escape, in upper case
                ok("/a%41b", "/aAb"),
                ok("/a%7eb", "/a~b"),
                ok("/a%7Eb", "/a~b"),
                ok("/%61dmin", "/admin"),
                ok("/API/%7E", "/API/~"),
                ok("/a%2db%5fc%2E", "/a-b_c."),
                ok("/a%20b", "/a%20b"),
                ok("/a%2ab", "/a%2Ab"),
                ok("/a%3fb", "/a%3Fb"),
                ok("/a%23b", "/a%23b"),
                ok("/a%25b", "/a%25b"),
                ok("/a%252e%252e/x", "/a%252e%252e/x"),
                ok("/a%252F", "/a%252F"),
                // printable but not allowed by RFC 3986: escaped, the app decodes the same octet
                ok("/a|b", "/a%7Cb"),
                ok("/a{b}", "/a%7Bb%7D"),
                ok("/a\"<>", "/a%22%3C%3E"),
                ok("/a[0]^`", "/a%5B0%5D%5E%60"),
                // encoded '/', '\' and NUL
                no("/%2Fadmin", ENCODED_SLASH),
                no("/admin%2F", ENCODED_SLASH),
                no("/admin%2f", ENCODED_SLASH),
                no("/a%2F..%2Fadmin", ENCODED_SLASH),
                no("/a/%2e%2E%2f", ENCODED_SLASH),
                no("/%5Cadmin", ENCODED_BACKSLASH),
                no("/%5cadmin", ENCODED_BACKSLASH),
                no("/static/..%5c..%5cwindows", ENCODED_BACKSLASH),
                no("/admin%00", NUL),
                no("/admin%00.json", NUL),
                // literal backslash
                no("/admin\\x", BACKSLASH),
                no("/..\\admin", BACKSLASH),
                no("/public\\..\\admin", BACKSLASH),
                // malformed escapes
                no("/a%", BAD_PERCENT_ENCODING),
                no("/a%4", BAD_PERCENT_ENCODING),
                no("/a%zz", BAD_PERCENT_ENCODING),
                no("/a%G1", BAD_PERCENT_ENCODING),
                no("/a%1G", BAD_PERCENT_ENCODING),
                no("/%%41", BAD_PERCENT_ENCODING),
                no("/a%4?x", BAD_PERCENT_ENCODING),
                no("/a%\uff11\uff11", BAD_PERCENT_ENCODING),
                // fragments
                no("/a#frag", FRAGMENT),
                no("/a?b#c", FRAGMENT),
                ok("/a%23frag", "/a%23frag"),
                // control characters, raw anywhere or escaped in the path
                no("/a\tb", CONTROL_CHARACTER),
                no("/a\r\nX-Injected: 1", CONTROL_CHARACTER),
                no("/a\u007fb", CONTROL_CHARACTER),
                no("/a%0d%0aSet-Cookie:x", CONTROL_CHARACTER),
                no("/a%09b", CONTROL_CHARACTER),
                no("/a%7F", CONTROL_CHARACTER),
                no("/a?b\tc", CONTROL_CHARACTER),
                no("/a\u0000b", NUL),
                no("/a?b\u0000", NUL),
                no("/a b", INVALID_CHARACTER),
                no("/a?b c", INVALID_CHARACTER),
                // non-ASCII: raw octets are refused, escaped UTF-8 must be well-formed
                no("/café", NON_ASCII),
                no("/caf\u00c3\u00a9", NON_ASCII),
                no("/\uff0fadmin", NON_ASCII),
                no("/a?q=é", NON_ASCII),
                ok("/caf%C3%A9", "/caf%C3%A9"),
                ok("/caf%c3%a9", "/caf%C3%A9"),
                ok("/%E2%82%AC", "/%E2%82%AC"),
                ok("/%F0%9F%98%80/x", "/%F0%9F%98%80/x"),
                no("/%C0%AE%C0%AE/admin", INVALID_UTF8),
                no("/%C0%AFadmin", INVALID_UTF8),
                no("/%E0%80%AF", INVALID_UTF8),
                no("/%ED%A0%80", INVALID_UTF8),
                no("/%F4%90%80%80", INVALID_UTF8),
                no("/%F5%80%80%80", INVALID_UTF8),
                no("/%C3", INVALID_UTF8),
                no("/%C3a", INVALID_UTF8),
                no("/%C3%41", INVALID_UTF8),
                no("/%C3/", INVALID_UTF8),
                no("/%A9", INVALID_UTF8),
                // path parameters: Tomcat and Jetty strip ";..." from a segment before routing
                no("/admin/..;/x", PATH_PARAMETER),
                no("/public/..;/admin", PATH_PARAMETER),
                no("/admin;x=1/", PATH_PARAMETER),
                no("/admin;jsessionid=ABC", PATH_PARAMETER),
                no("/admin%3bx/", PATH_PARAMETER),
                // length
                ok("/" + "a".repeat(8191), "/" + "a".repeat(8191)),
                ok("/" + "a/".repeat(4000), "/" + "a/".repeat(4000)),
                ok("/" + "a/../".repeat(1600) + "b", "/b"),
                no("/" + "a".repeat(8192), TOO_LONG),
                no("/a?" + "q".repeat(8190), TOO_LONG),
                // not origin-form
                no("", NOT_ORIGIN_FORM),
                no("*", NOT_ORIGIN_FORM),
                no("http://host/path", NOT_ORIGIN_FORM),
                no("https://evil.example/admin", NOT_ORIGIN_FORM),
                no("example.com:443", NOT_ORIGIN_FORM),
                no("admin", NOT_ORIGIN_FORM),
                no("?a=b", NOT_ORIGIN_FORM),
                no("\\admin", NOT_ORIGIN_FORM));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("catalogue")
    void whatTheAppSees(String target, String path, String query, Reason reason) {
        Result result = NORMALIZER.normalize(target);
        if (reason == null) {
            assertThat(result).isEqualTo(new Normalized(path, query));
        } else {
            assertThat(result).isInstanceOfSatisfying(Rejected.class, rejected -> {
                assertThat(rejected.reason()).isEqualTo(reason);
                assertThat(rejected.detail()).isNotBlank();
            });
        }
    }

    /** Normalizing what the app receives changes nothing, and costs no copy of the path. */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("catalogue")
    void normalizingTheOutputAgainChangesNothing(String target, String path, String query, Reason reason) {
        if (reason != null) {
            return;
        }
        String forwarded = new Normalized(path, query).requestTarget();
        Result again = NORMALIZER.normalize(forwarded);
        assertThat(again).isEqualTo(new Normalized(path, query));
        if (query.isEmpty()) {
            assertThat(((Normalized) again).path()).isSameAs(forwarded);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/users", "/api/users/", "/a%20b", "/caf%C3%A9", "/a/b.c/d~e_f-g",
            "/a:b@c!$&'()*+,="})
    void anAlreadyNormalPathIsReturnedAsTheSameInstance(String target) {
        Result result = NORMALIZER.normalize(target);
        assertThat(result).isInstanceOfSatisfying(Normalized.class,
                normalized -> assertThat(normalized.path()).isSameAs(target));
    }

    @Test
    void theRequestTargetRejoinsPathAndQuery() {
        assertThat(NORMALIZER.normalize("//a/./%7e?x=%2f&y=..")).isEqualTo(new Normalized("/a/~", "x=%2f&y=.."));
        assertThat(new Normalized("/a/~", "x=%2f&y=..").requestTarget()).isEqualTo("/a/~?x=%2f&y=..");
        assertThat(new Normalized("/a", "").requestTarget()).isEqualTo("/a");
    }

    @Test
    void aTooLongTargetIsAnswered414AndEveryOtherRejection400() {
        assertThat(TOO_LONG.status()).isEqualTo(414);
        assertThat(Arrays.stream(Reason.values()).filter(r -> r != TOO_LONG).map(Reason::status))
                .containsOnly(400);
    }

    @Test
    void theLengthBoundIsConfigurable() {
        var small = new PathNormalizer(8);
        assertThat(small.normalize("/1234567")).isEqualTo(new Normalized("/1234567", ""));
        assertThat(small.normalize("/12345678")).isInstanceOfSatisfying(Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(TOO_LONG);
            assertThat(rejected.detail()).isEqualTo("request-target of 9 characters, at most 8 allowed");
        });
        assertThatThrownBy(() -> new PathNormalizer(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLength: expected at least 1, got 0");
    }

    @Test
    void theDetailNamesTheOffsetAndTheEscape() {
        assertThat(NORMALIZER.normalize("/admin%2f")).isEqualTo(
                new Rejected(ENCODED_SLASH, "'%2f' at offset 6 must not be percent-encoded"));
        assertThat(NORMALIZER.normalize("/a/%zz")).isEqualTo(
                new Rejected(BAD_PERCENT_ENCODING, "'%' at offset 3 is not followed by two hex digits"));
        assertThat(NORMALIZER.normalize("/a\r\n")).isEqualTo(
                new Rejected(CONTROL_CHARACTER, "control character 0x0D at offset 2"));
        assertThat(NORMALIZER.normalize("http://h/")).isEqualTo(new Rejected(NOT_ORIGIN_FORM,
                "absolute-form is for forward proxies; expected origin-form '/path'"));
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReasonIsReachableFromTheCatalogue(Reason reason) {
        assertThat(catalogue().map(Arguments::get).filter(row -> row[3] == reason)).isNotEmpty();
    }

    @Test
    void theCatalogueHasAtLeastSixtyRows() {
        assertThat(catalogue()).hasSizeGreaterThanOrEqualTo(60);
    }
}
