package io.scimitar.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.scimitar.authz.GroupRef.ByDisplayName;
import io.scimitar.authz.GroupRef.ByExternalId;
import io.scimitar.authz.GroupRef.ById;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy grammar as a table: a YAML text in, the exact error (file, line, what was expected)
 * or the compiled structure out.
 */
class PolicyLoaderTest {

    /** The example of issue 3, verbatim. */
    static final String ISSUE_EXAMPLE = """
            roles:                       # human-readable names for sets of SCIM groups (displayName,
              engineers: [eng, platform] # or "id:<scim id>" / "externalId:<id>")
              admins: [platform-admins]
            routes:
              - path: /healthz
                public: true             # no token needed
              - path: /admin/**
                allow: [admins]
              - path: /api/**
                methods: [GET, HEAD]
                allow: [engineers, admins]
              - path: /api/**
                allow: [admins]
            """;

    private static final String ROLES = """
            roles:
              admins: [ops]
            routes:
            """;

    private final PolicyLoader loader = new PolicyLoader();

    /** A policy whose routes section is {@code routes} (indented by two), after a one-role header of 3 lines. */
    private static String withRoutes(String routes) {
        return ROLES + routes.indent(2);
    }

    static Stream<Arguments> badPolicies() {
        return Stream.of(
                // --- the file as a whole
                arguments("empty", "", "policy.yaml: the policy is empty; expected a mapping with \"roles\" and \"routes\""),
                arguments("only a comment", "# nothing yet\n",
                        "policy.yaml: the policy is empty; expected a mapping with \"roles\" and \"routes\""),
                arguments("a list at the top", "- path: /x\n",
                        "policy.yaml:1: expected a mapping with \"roles\" and \"routes\", got a list"),
                arguments("no routes", "roles:\n  admins: [ops]\n",
                        "policy.yaml:1: expected a \"routes\" list (an empty list denies every request)"),
                arguments("unknown top-level key, all problems reported", "roles:\n  admins: [ops]\nrouts:\n  - path: /x\n",
                        "policy.yaml:1: expected a \"routes\" list (an empty list denies every request)\n"
                                + "policy.yaml:3: unknown key \"routs\"; expected roles or routes"),
                arguments("routes not a list", "routes: /x\n", "policy.yaml:1: routes: expected a list of routes, got \"/x\""),
                arguments("second document", "routes: []\n---\nroutes: []\n",
                        "policy.yaml:3: expected one YAML document, found a second one"),
                arguments("alias", "roles:\n  admins: &g [ops]\n  others: *g\nroutes: []\n",
                        "policy.yaml:3: expected no YAML aliases (*g): write the value out"),
                arguments("duplicate top-level key", "routes: []\nroutes: []\n",
                        "policy.yaml:2: duplicate key \"routes\" (first at line 1)"),
                arguments("empty string group", "roles:\n  admins: [\"\"]\nroutes: []\n",
                        "policy.yaml:2: role \"admins\": expected a group (displayName, id:<scim id> or externalId:<id>), got nothing"),
                arguments("not UTF-8", "routes: [\u00ff]\n", null),
                // --- roles
                arguments("roles not a mapping", "roles: [ops]\nroutes: []\n",
                        "policy.yaml:1: roles: expected a mapping of role names to lists of groups, got a list"),
                arguments("duplicate role", "roles:\n  admins: [ops]\n  admins: [root]\nroutes: []\n",
                        "policy.yaml:3: duplicate key \"admins\" (first at line 2)"),
                arguments("roles differing in case", "roles:\n  admins: [ops]\n  Admins: [root]\nroutes: []\n",
                        "policy.yaml:3: role \"Admins\" differs only in case from a role at line 2; expected distinct names"),
                arguments("role with no groups", "roles:\n  admins: []\nroutes: []\n",
                        "policy.yaml:2: role \"admins\" has no groups; expected at least one"),
                arguments("role with nothing", "roles:\n  admins:\nroutes: []\n",
                        "policy.yaml:2: role \"admins\": expected a list of groups, got nothing"),
                arguments("role with one group, not a list", "roles:\n  admins: ops\nroutes: []\n",
                        "policy.yaml:2: role \"admins\": expected a list of groups, e.g. [ops], got \"ops\""),
                arguments("bad role name", "roles:\n  \"ad mins\": [ops]\nroutes: []\n",
                        "policy.yaml:2: role name \"ad mins\": expected letters, digits, '.', '_' or '-', starting with a letter or digit"),
                arguments("group kind in the wrong case", "roles:\n  admins:\n    - ops\n    - ID:2819c223\nroutes: []\n",
                        "policy.yaml:4: role \"admins\": group \"ID:2819c223\": \"ID:\" is not a reference kind; expected \"id:\" (kinds are case-sensitive)"),
                arguments("externalid in the wrong case", "roles:\n  admins: [\"externalid:00g1\"]\nroutes: []\n",
                        "policy.yaml:2: role \"admins\": group \"externalid:00g1\": \"externalid:\" is not a reference kind; expected \"externalId:\" (kinds are case-sensitive)"),
                arguments("id without a value", "roles:\n  admins: [\"id:\"]\nroutes: []\n",
                        "policy.yaml:2: role \"admins\": group \"id:\": expected a value after \"id:\""),
                arguments("group with spaces around", "roles:\n  admins: [\" ops\"]\nroutes: []\n",
                        "policy.yaml:2: role \"admins\": group \" ops\": expected no leading or trailing spaces"),
                arguments("group that is a list", "roles:\n  admins: [[ops]]\nroutes: []\n",
                        "policy.yaml:2: role \"admins\": expected a group (displayName, id:<scim id> or externalId:<id>), got a list"),
                arguments("same group twice, displayName ignores case", "roles:\n  admins:\n    - Ops\n    - ops\nroutes: []\n",
                        "policy.yaml:4: role \"admins\" lists group \"ops\" twice (first at line 3)"),
                // --- routes
                arguments("route not a mapping", withRoutes("- /x\n"),
                        "policy.yaml:4: route 1: expected a mapping with path and allow (or public: true), got \"/x\""),
                arguments("unknown route key", withRoutes("- path: /x\n  alow: [admins]\n"),
                        "policy.yaml:4: route 1: expected allow: [roles...] or public: true\n"
                                + "policy.yaml:5: route 1: unknown key \"alow\"; expected path, methods, allow, public or stale"),
                arguments("no path", withRoutes("- allow: [admins]\n"),
                        "policy.yaml:4: route 1: expected a path, e.g. path: /api/**"),
                arguments("path not text", withRoutes("- path: [/x]\n  allow: [admins]\n"),
                        "policy.yaml:4: route 1: path: expected a path pattern, e.g. /api/**, got a list"),
                arguments("unknown role in allow", withRoutes("- path: /x\n  allow: [admins]\n- path: /y\n  allow: [admin]\n"),
                        "policy.yaml:7: route 2: unknown role \"admin\" in allow; expected one of: admins"),
                arguments("unknown role without roles", "routes:\n  - path: /x\n    allow: [admins]\n",
                        "policy.yaml:3: route 1: unknown role \"admins\" in allow; expected a role declared under roles"),
                arguments("role twice in allow", withRoutes("- path: /x\n  allow: [admins, admins]\n"),
                        "policy.yaml:5: route 1: role \"admins\" is listed twice in allow"),
                arguments("empty allow", withRoutes("- path: /x\n  allow: []\n"),
                        "policy.yaml:5: route 1: allow is empty; expected at least one role, or public: true"),
                arguments("allow not a list", withRoutes("- path: /x\n  allow: admins\n"),
                        "policy.yaml:5: route 1: allow: expected a list of roles, e.g. [admins], got \"admins\""),
                arguments("neither allow nor public", withRoutes("- path: /x\n  methods: [GET]\n"),
                        "policy.yaml:4: route 1: expected allow: [roles...] or public: true"),
                arguments("public: false without allow", withRoutes("- path: /x\n  public: false\n"),
                        "policy.yaml:4: route 1: expected allow: [roles...] or public: true"),
                arguments("public together with allow", withRoutes("- path: /x\n  public: true\n  allow: [admins]\n"),
                        "policy.yaml:6: route 1: expected either public: true or allow, not both"),
                arguments("public with an empty allow", withRoutes("- path: /x\n  public: true\n  allow: []\n"),
                        "policy.yaml:6: route 1: expected either public: true or allow, not both"),
                arguments("public: yes (YAML 1.1)", withRoutes("- path: /x\n  public: yes\n"),
                        "policy.yaml:4: route 1: expected allow: [roles...] or public: true\n"
                                + "policy.yaml:5: route 1: public: expected true or false, got \"yes\""),
                arguments("stale not allow or deny", withRoutes("- path: /x\n  allow: [admins]\n  stale: ignore\n"),
                        "policy.yaml:6: route 1: stale: expected allow or deny, got \"ignore\""),
                arguments("stale on a public route", withRoutes("- path: /x\n  public: true\n  stale: allow\n"),
                        "policy.yaml:6: route 1: stale has no effect on a public route, which consults no directory; expected no stale key"),
                arguments("duplicate route key", withRoutes("- path: /x\n  path: /y\n  allow: [admins]\n"),
                        "policy.yaml:5: duplicate key \"path\" (first at line 4)"),
                // --- methods
                arguments("lower-case method", withRoutes("- path: /x\n  methods: [get]\n  allow: [admins]\n"),
                        "policy.yaml:5: route 1: method \"get\": methods are case-sensitive (RFC 9110 §9.1); expected GET"),
                arguments("method with a space", withRoutes("- path: /x\n  methods: [\"GE T\"]\n  allow: [admins]\n"),
                        "policy.yaml:5: route 1: method \"GE T\": expected an HTTP method token (RFC 9110 §9.1), e.g. GET"),
                arguments("method twice", withRoutes("- path: /x\n  methods:\n    - GET\n    - GET\n  allow: [admins]\n"),
                        "policy.yaml:7: route 1: method GET is listed twice"),
                arguments("empty methods", withRoutes("- path: /x\n  methods: []\n  allow: [admins]\n"),
                        "policy.yaml:5: route 1: methods: expected a list of HTTP methods, e.g. [GET, HEAD] (leave methods out for every method), got an empty list"),
                arguments("methods not a list", withRoutes("- path: /x\n  methods: GET\n  allow: [admins]\n"),
                        "policy.yaml:5: route 1: methods: expected a list of HTTP methods, e.g. [GET, HEAD] (leave methods out for every method), got \"GET\""),
                // --- path patterns
                path("api/**", "expected a path starting with '/'"),
                arguments("path empty", withRoutes("- path: \"\"\n  allow: [admins]\n"),
                        "policy.yaml:4: route 1: path: expected a path pattern, e.g. /api/**, got nothing"),
                path("/api/", "expected no trailing '/' (a request's trailing slash is ignored when matching, so write /api)"),
                path("/api/**/users", "expected '**' only as the last segment"),
                path("/api/**/**", "expected '**' only as the last segment"),
                path("/api//users", "expected no empty segment ('//'): request paths have merged slashes"),
                path("/api/./users", "expected no '.' segment: request paths have dot segments removed (RFC 3986 §5.2.4), so it could never match"),
                path("/api/../users", "expected no '..' segment: request paths have dot segments removed (RFC 3986 §5.2.4), so it could never match"),
                path("/api/user*", "expected '*' only as a whole segment ('*' for one segment, a final '**' for the rest), found it inside \"user*\""),
                path("/api/***", "expected '*' only as a whole segment ('*' for one segment, a final '**' for the rest), found it inside \"***\""),
                path("/api/a b", "expected only RFC 3986 path characters (pchar), found a space at column 7; percent-encode it"),
                path("/api/users?id=1", "expected only RFC 3986 path characters (pchar), found '?' at column 11; percent-encode it (a pattern matches the path only, without query or fragment)"),
                path("/api#top", "expected only RFC 3986 path characters (pchar), found '#' at column 5; percent-encode it (a pattern matches the path only, without query or fragment)"),
                path("/caf\u00e9", "expected only RFC 3986 path characters (pchar), found '\u00e9' (U+00E9) at column 5; percent-encode it"),
                path("/a\\b", "expected only RFC 3986 path characters (pchar), found '\\' at column 3; percent-encode it"),
                path("/api/%2F", "\"%2F\" can never match: requests with an encoded '/', '\\' or NUL are refused before matching"),
                path("/api/%5C", "\"%5C\" can never match: requests with an encoded '/', '\\' or NUL are refused before matching"),
                path("/api/%00", "\"%00\" can never match: requests with an encoded '/', '\\' or NUL are refused before matching"),
                path("/api/%41", "expected 'A' instead of \"%41\": normalized paths carry unreserved characters decoded (RFC 3986 §6.2.2.2)"),
                path("/caf%c3%a9", "expected upper-case hex in \"%c3\": normalized paths have %C3 (RFC 3986 §6.2.2.1)"),
                path("/api/%G1", "expected two hex digits after '%' at column 6"),
                path("/api/%4", "expected two hex digits after '%' at column 6"));
    }

    private static Arguments path(String pattern, String expected) {
        return arguments("path " + pattern, withRoutes("- path: \"" + pattern.replace("\\", "\\\\") + "\"\n  allow: [admins]\n"),
                "policy.yaml:4: route 1: path \"" + pattern + "\": " + expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPolicies")
    void refusesBadPolicies(String name, String yaml, String expected) {
        byte[] bytes = expected == null ? yaml.getBytes(StandardCharsets.ISO_8859_1) : yaml.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> loader.parse("policy.yaml", bytes))
                .isInstanceOf(PolicyException.class)
                .hasMessage(expected == null ? "policy.yaml: expected UTF-8 text" : expected);
    }

    @Test
    void invalidYamlNamesTheLine() {
        String yaml = "roles:\n  admins: [ops\nroutes: []\n";
        assertThatThrownBy(() -> loader.parse("policy.yaml", yaml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(PolicyException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    assertThat(e.problems().getFirst().line()).isEqualTo(3);
                    assertThat(e.getMessage()).startsWith("policy.yaml:3: invalid YAML: ");
                });
    }

    @Test
    void compilesTheIssueExample() {
        Policy policy = loader.parse("policy.yaml", ISSUE_EXAMPLE.getBytes(StandardCharsets.UTF_8));

        assertThat(policy.source()).isEqualTo("policy.yaml");
        assertThat(policy.roles()).containsExactly(
                entry("engineers", List.of(new ByDisplayName("eng"), new ByDisplayName("platform"))),
                entry("admins", List.of(new ByDisplayName("platform-admins"))));
        List<Route> routes = policy.routes();
        assertThat(routes).extracting(Route::index, Route::pattern, Route::line, Route::isPublic)
                .containsExactly(
                        tuple(0, "/healthz", 5, true),
                        tuple(1, "/admin/**", 7, false),
                        tuple(2, "/api/**", 9, false),
                        tuple(3, "/api/**", 12, false));
        assertThat(routes.get(0).roles()).isEmpty();
        assertThat(routes.get(0).groups()).isEmpty();
        assertThat(routes.get(0).methods()).isEmpty();
        assertThat(routes.get(2).methods()).containsExactly("GET", "HEAD");
        assertThat(routes.get(2).roles()).containsExactly("engineers", "admins");
        assertThat(routes.get(2).groups()).containsExactly(new ByDisplayName("eng"), new ByDisplayName("platform"),
                new ByDisplayName("platform-admins"));
        assertThat(routes.get(3).groups()).containsExactly(new ByDisplayName("platform-admins"));
        assertThat(routes).allSatisfy(r -> assertThat(r.whenStale()).isEqualTo(WhenStale.DENY));
    }

    @Test
    void readsEveryKindOfGroupReference() {
        String yaml = """
                roles:
                  ops:
                    - Platform Team
                    - id:2819c223-7f76-453a-919d-413861904646
                    - externalId:00g1emaKYZTWRYYRRTSK
                    - "displayName:id:legacy"
                    - "team:eng"
                routes: []
                """;
        Policy policy = loader.parse("p.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        List<GroupRef> groups = policy.roles().get("ops");

        assertThat(groups).containsExactly(
                new ByDisplayName("Platform Team"),
                new ById("2819c223-7f76-453a-919d-413861904646"),
                new ByExternalId("00g1emaKYZTWRYYRRTSK"),
                new ByDisplayName("id:legacy"),
                new ByDisplayName("team:eng"));
        assertThat(groups).extracting(GroupRef::text).containsExactly("Platform Team",
                "id:2819c223-7f76-453a-919d-413861904646", "externalId:00g1emaKYZTWRYYRRTSK", "displayName:id:legacy",
                "team:eng");
        assertThat(((ByDisplayName) groups.getFirst()).folded()).isEqualTo("platform team");
        assertThat(policy.routes()).isEmpty();
        assertThat(policy.match("GET", "/")).isEmpty();
    }

    @Test
    void flattensTheGroupsOfAllowedRolesWithoutDuplicates() {
        String yaml = """
                roles:
                  engineers: [eng, platform]
                  oncall: [Platform, id:42]
                routes:
                  - path: /deploy/*
                    methods: [POST]
                    allow: [engineers, oncall]
                    stale: allow
                """;
        Route route = loader.parse("p.yaml", yaml.getBytes(StandardCharsets.UTF_8)).routes().getFirst();

        assertThat(route.groups()).containsExactly(new ByDisplayName("eng"), new ByDisplayName("platform"), new ById("42"));
        assertThat(route.whenStale()).isEqualTo(WhenStale.ALLOW);
        assertThat(route.methods()).containsExactly("POST");
        assertThat(route.line()).isEqualTo(5);
    }

    @Test
    void acceptsQuotedValuesExtensionMethodsAndPublicFalseWithAllow() {
        String yaml = """
                roles:
                  "admins": ["platform-admins"]
                routes:
                  - {path: "/", methods: [GET], public: true}
                  - path: '/cache/*'
                    methods: [PURGE, M-SEARCH]
                    public: false
                    allow: [admins]
                  - path: /caf%C3%A9/~user/a:b@c!$&'()+,;=
                    allow: [admins]
                """;
        Policy policy = loader.parse("p.yaml", yaml.getBytes(StandardCharsets.UTF_8));

        assertThat(policy.routes()).extracting(Route::pattern)
                .containsExactly("/", "/cache/*", "/caf%C3%A9/~user/a:b@c!$&'()+,;=");
        assertThat(policy.routes().get(1).methods()).containsExactly("PURGE", "M-SEARCH");
        assertThat(policy.routes().get(1).isPublic()).isFalse();
        assertThat(policy.routes()).extracting(Route::line).containsExactly(4, 5, 9);
    }

    @Test
    void digestIsTheSha256OfTheBytes() throws Exception {
        byte[] bytes = ISSUE_EXAMPLE.getBytes(StandardCharsets.UTF_8);
        Policy policy = loader.parse("p.yaml", bytes);

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(policy.digest()).isEqualTo(expected);
        assertThat(policy.shortDigest()).isEqualTo(expected.substring(0, 12));
    }

    @Test
    void loadsFromAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, ISSUE_EXAMPLE);
        assertThat(loader.load(file).source()).isEqualTo(file.toString());
        assertThat(loader.load(file).routes()).hasSize(4);

        Files.writeString(file, "routes:\n  - path: /x\n");
        assertThatThrownBy(() -> loader.load(file)).isInstanceOf(PolicyException.class)
                .hasMessage(file + ":2: route 1: expected allow: [roles...] or public: true");

        Path missing = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> loader.load(missing)).isInstanceOf(PolicyException.class)
                .hasMessage(missing + ": cannot read the policy file: no such file");
    }
}
