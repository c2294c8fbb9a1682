package io.scimitar.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Route matching as a table of (method, normalized path) → the index of the route that wins, or
 * none; then the trie against a plain linear scan over many generated paths.
 */
class RouteTableTest {

    private static final String POLICY = """
            roles:
              r: [g]
            routes:
              - path: /healthz             # 0
                public: true
              - path: /admin/**            # 1
                allow: [r]
              - path: /api/users/me        # 2
                methods: [GET]
                allow: [r]
              - path: /api/**              # 3
                methods: [GET, HEAD]
                allow: [r]
              - path: /api/*/items         # 4: after 3, so only for methods 3 does not take
                allow: [r]
              - path: /api/**              # 5
                allow: [r]
              - path: /files/*             # 6
                methods: [PUT]
                allow: [r]
              - path: /files/*/*           # 7
                allow: [r]
              - path: /                    # 8
                methods: [GET]
                public: true
              - path: /docs/v1/**          # 9
                allow: [r]
              - path: /docs/*/guide        # 10
                allow: [r]
              - path: /Docs                # 11
                allow: [r]
              - path: /x/*/z/**            # 12
                allow: [r]
              - path: /a/b/c               # 13
                allow: [r]
              - path: /a/*/c               # 14
                allow: [r]
              - path: /ext                 # 15
                methods: [PURGE]
                allow: [r]
              - path: /caf%C3%A9/*         # 16
                allow: [r]
              - path: /v/*/*/w             # 17
                allow: [r]
              - path: /v/a/**              # 18
                allow: [r]
            """;

    private static final RouteTable TABLE = new PolicyLoader()
            .parse("routes.yaml", POLICY.getBytes(StandardCharsets.UTF_8)).table();

    static Stream<Arguments> matches() {
        return Stream.of(
                // method, normalized path, expected route index (null: no route)
                arguments("GET", "/healthz", 0),
                arguments("POST", "/healthz", 0),                 // no methods: every method
                arguments("GET", "/healthz/", 0),                 // one trailing slash is ignored
                arguments("GET", "/healthz/x", null),
                arguments("GET", "/HEALTHZ", null),               // paths are case-sensitive
                arguments("GET", "/healthzz", null),
                arguments("GET", "/health", null),
                arguments("GET", "/admin", 1),                    // ** matches zero segments
                arguments("GET", "/admin/", 1),
                arguments("DELETE", "/admin/users/42", 1),
                arguments("GET", "/administrator", null),         // a prefix of a segment is not a match
                arguments("GET", "/api/users/me", 2),
                arguments("GET", "/api/users/me/", 2),
                arguments("HEAD", "/api/users/me", 3),            // 2 is GET only: falls through to 3
                arguments("POST", "/api/users/me", 5),
                arguments("GET", "/api", 3),
                arguments("POST", "/api", 5),
                arguments("GET", "/api/x/items", 3),              // first match wins over the more specific 4
                arguments("POST", "/api/x/items", 4),
                arguments("POST", "/api/x/items/y", 5),
                arguments("get", "/api/x", 5),                    // methods are case-sensitive: "get" is not GET
                arguments("PUT", "/files/a", 6),
                arguments("GET", "/files/a", null),               // only PUT on /files/*: no route
                arguments("PUT", "/files", null),                 // * is exactly one segment
                arguments("GET", "/files/a/b", 7),
                arguments("GET", "/files/a/b/c", null),
                arguments("GET", "/", 8),
                arguments("POST", "/", null),
                arguments("GET", "/docs/v1", 9),
                arguments("GET", "/docs/v1/guide", 9),            // 9 and 10 both match; 9 comes first
                arguments("GET", "/docs/v2/guide", 10),
                arguments("GET", "/docs/v2/guide/more", null),
                arguments("GET", "/docs", null),
                arguments("GET", "/Docs", 11),
                arguments("GET", "/x/y/z", 12),
                arguments("GET", "/x/y/z/w/v", 12),
                arguments("GET", "/x/y", null),
                arguments("GET", "/x/y/q", null),
                arguments("GET", "/a/b/c", 13),
                arguments("GET", "/a/q/c", 14),
                arguments("GET", "/a/b", null),
                arguments("PURGE", "/ext", 15),
                arguments("GET", "/ext", null),
                arguments("GET", "/caf%C3%A9/menu", 16),
                arguments("GET", "/caf%c3%a9/menu", null),        // normalized paths carry upper-case hex
                arguments("GET", "/v/a/b/w", 17),                 // 17 beats 18 although 18 is on the literal branch
                arguments("GET", "/v/a/b/x", 18),
                arguments("GET", "/v/a", 18),
                // not normalized: no route, so a caller's mistake fails closed
                arguments("GET", "", null),
                arguments("GET", "healthz", null),
                arguments("GET", "//healthz", null),
                arguments("GET", "/admin//x", null),
                arguments("GET", "/admin/../healthz", null),
                arguments("GET", "/api/./x", null),
                arguments("GET", "/admin/..", null),
                arguments("GET", "/healthz?probe=1", null),
                arguments("GET", "/healthz#top", null),
                arguments("GET", "/healthz//", null));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("matches")
    void matchesTheFirstRouteInFileOrder(String method, String path, Integer expected) {
        Optional<Route> route = TABLE.match(method, path);

        assertThat(route.map(Route::index)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void returnsTheRoutesOwnOptional() {
        Optional<Route> first = TABLE.match("GET", "/api/users/me");
        Optional<Route> second = TABLE.match("GET", "/api/users/me");

        assertThat(first).isPresent();
        assertThat(second).isSameAs(first).isSameAs(first.get().asOptional());
    }

    @Test
    void anEmptyTableMatchesNothing() {
        RouteTable empty = new RouteTable(List.of());

        assertThat(empty.match("GET", "/")).isEmpty();
        assertThat(empty.routes()).isEmpty();
    }

    /** Segments and methods the generator draws from: literals of the patterns, near misses, and others. */
    private static final String[] SEGMENTS = {"a", "b", "c", "api", "users", "me", "items", "x", "z", "v", "w",
        "docs", "guide", "admin", "A", "aa", "", ".", ".."};
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "get"};

    /** Random policies of up to 30 routes, 200 paths each: the trie must agree with the reference. */
    @Test
    void agreesWithALinearScanOnGeneratedPoliciesAndPaths() {
        Random random = new Random(20261128L);
        int compared = 0;
        int matched = 0;
        for (int round = 0; round < 200; round++) {
            List<Route> routes = new ArrayList<>();
            int count = random.nextInt(30);
            for (int i = 0; i < count; i++) {
                routes.add(randomRoute(random, i));
            }
            RouteTable table = new RouteTable(routes);
            for (int p = 0; p < 200; p++) {
                String method = METHODS[random.nextInt(METHODS.length)];
                String path = randomPath(random);
                Optional<Route> expected = linearScan(routes, method, path);
                assertThat(table.match(method, path)).as("%s %s in %s", method, path, routes).isEqualTo(expected);
                compared++;
                matched += expected.isPresent() ? 1 : 0;
            }
        }
        // The generator must exercise both outcomes, or the comparison proves little.
        assertThat(compared).isEqualTo(40_000);
        assertThat(matched).isBetween(4_000, 36_000);
    }

    private static Route randomRoute(Random random, int index) {
        StringBuilder pattern = new StringBuilder();
        int segments = random.nextInt(4);
        for (int s = 0; s < segments; s++) {
            String segment = random.nextInt(4) == 0 ? "*" : SEGMENTS[random.nextInt(SEGMENTS.length - 3)];
            pattern.append('/').append(segment);
        }
        if (random.nextInt(3) == 0) {
            pattern.append("/**");
        }
        String text = pattern.isEmpty() ? "/" : pattern.toString();
        List<String> methods = random.nextBoolean() ? List.of() : List.of(METHODS[random.nextInt(3)]);
        return new Route(index, PathPattern.parse(text), methods, true, List.of(), List.of(), WhenStale.DENY, index + 1);
    }

    private static String randomPath(Random random) {
        StringBuilder path = new StringBuilder();
        int segments = random.nextInt(5);
        for (int s = 0; s < segments; s++) {
            path.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
        }
        if (path.isEmpty() || random.nextInt(8) == 0) {
            path.append('/');
        }
        return path.toString();
    }

    /** The rules of {@link RouteTable}, written the obvious way: split, then compare route by route. */
    private static Optional<Route> linearScan(List<Route> routes, String method, String path) {
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        List<String> segments = new ArrayList<>(List.of(path.substring(1).split("/", -1)));
        if (path.endsWith("/")) {
            segments.removeLast(); // "/" has no segments; "/a/" is "/a"
        }
        if (segments.contains("") || segments.contains(".") || segments.contains("..")) {
            return Optional.empty();
        }
        for (Route route : routes) {
            if (!route.methods().isEmpty() && !route.methods().contains(method)) {
                continue;
            }
            PathPattern pattern = route.compiledPattern();
            List<String> literal = pattern.segments();
            boolean fits = pattern.rest() ? segments.size() >= literal.size() : segments.size() == literal.size();
            for (int i = 0; fits && i < literal.size(); i++) {
                fits = literal.get(i).equals("*") || literal.get(i).equals(segments.get(i));
            }
            if (fits) {
                return route.asOptional();
            }
        }
        return Optional.empty();
    }
}
