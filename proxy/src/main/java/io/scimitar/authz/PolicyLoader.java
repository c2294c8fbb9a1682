package io.scimitar.authz;

import io.scimitar.authz.YamlNode.Entry;
import io.scimitar.authz.YamlNode.Mapping;
import io.scimitar.authz.YamlNode.Scalar;
import io.scimitar.authz.YamlNode.Sequence;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a policy file, validates all of it, and compiles it into a {@link Policy}. Every problem
 * found is reported at once, each with the file, the line and what was expected, so that one run
 * of {@code scimitar check-config} shows everything to fix.
 */
public final class PolicyLoader {

    private static final List<String> TOP_KEYS = List.of("roles", "routes");
    private static final List<String> ROUTE_KEYS = List.of("path", "methods", "allow", "public", "stale");
    private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /**
     * Reads and compiles the policy in {@code file}.
     *
     * @throws PolicyException if it cannot be read or is invalid
     */
    public Policy load(Path file) {
        return parse(file.toString(), read(file));
    }

    /** The bytes of {@code file}, or a {@link PolicyException} that says why they cannot be read. */
    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PolicyException(file.toString(), 0, "cannot read the policy file: no such file");
        } catch (AccessDeniedException e) {
            throw new PolicyException(file.toString(), 0, "cannot read the policy file: permission denied");
        } catch (IOException e) {
            throw new PolicyException(file.toString(), 0, "cannot read the policy file: " + e.getMessage());
        }
    }

    /**
     * Compiles a policy from the bytes of its file (UTF-8).
     *
     * @param source the name used in messages, normally the file's path
     * @throws PolicyException if it is invalid
     */
    public Policy parse(String source, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PolicyException(source, 0, "expected UTF-8 text");
        }
        YamlNode root = YamlNode.parse(source, text).orElseThrow(() -> new PolicyException(source, 0,
                "the policy is empty; expected a mapping with \"roles\" and \"routes\""));
        return new Validation(source).policy(root, digest(bytes));
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** One pass over the tree; problems are collected, and thrown together at the end. */
    private static final class Validation {
        private final String source;
        private final List<PolicyException.Problem> problems = new ArrayList<>();
        private final Map<String, List<GroupRef>> roles = new LinkedHashMap<>();
        /** Every declared role name, including those whose groups had problems (not "unknown" again). */
        private final Set<String> declared = new LinkedHashSet<>();

        Validation(String source) {
            this.source = source;
        }

        Policy policy(YamlNode root, String digest) {
            if (!(root instanceof Mapping top)) {
                throw new PolicyException(source, root.line(), "expected a mapping with \"roles\" and \"routes\", got "
                        + root.describe());
            }
            for (Entry entry : top.entries()) {
                if (!TOP_KEYS.contains(entry.key())) {
                    problem(entry.line(), "unknown key \"" + entry.key() + "\"; expected roles or routes");
                }
            }
            top.entry("roles").ifPresent(this::roles);
            List<Route> routes = top.entry("routes").map(this::routes).orElseGet(() -> {
                problem(top.line(), "expected a \"routes\" list (an empty list denies every request)");
                return List.of();
            });
            if (!problems.isEmpty()) {
                problems.sort(Comparator.comparingInt(PolicyException.Problem::line));
                throw new PolicyException(source, problems);
            }
            return new Policy(source, digest, roles, new RouteTable(routes));
        }

        private void roles(Entry entry) {
            if (!(entry.value() instanceof Mapping mapping)) {
                problem(entry.value().line(), "roles: expected a mapping of role names to lists of groups, got "
                        + entry.value().describe());
                return;
            }
            Map<String, Integer> folded = new LinkedHashMap<>();
            for (Entry role : mapping.entries()) {
                String name = role.key();
                declared.add(name);
                if (!ROLE_NAME.matcher(name).matches()) {
                    problem(role.line(), "role name \"" + name + "\": expected letters, digits, '.', '_' or '-',"
                            + " starting with a letter or digit");
                }
                Integer first = folded.putIfAbsent(name.toLowerCase(Locale.ROOT), role.line());
                if (first != null) {
                    problem(role.line(), "role \"" + name + "\" differs only in case from a role at line " + first
                            + "; expected distinct names");
                }
                groups(name, role).ifPresent(groups -> roles.put(name, groups));
            }
        }

        private Optional<List<GroupRef>> groups(String role, Entry entry) {
            if (!(entry.value() instanceof Sequence list)) {
                String hint = entry.value() instanceof Scalar s && !s.isNull() ? ", e.g. [" + s.text() + "]" : "";
                problem(entry.value().line(), "role \"" + role + "\": expected a list of groups" + hint + ", got "
                        + entry.value().describe());
                return Optional.empty();
            }
            if (list.items().isEmpty()) {
                problem(entry.line(), "role \"" + role + "\" has no groups; expected at least one");
                return Optional.empty();
            }
            Map<GroupRef, Integer> groups = new LinkedHashMap<>();
            boolean ok = true;
            for (YamlNode item : list.items()) {
                Optional<String> text = text(item, "role \"" + role + "\": expected a group (displayName,"
                        + " id:<scim id> or externalId:<id>)");
                if (text.isEmpty()) {
                    ok = false;
                    continue;
                }
                GroupRef ref;
                try {
                    ref = GroupRef.parse(text.get());
                } catch (IllegalArgumentException e) {
                    problem(item.line(), "role \"" + role + "\": group \"" + text.get() + "\": " + e.getMessage());
                    ok = false;
                    continue;
                }
                Integer first = groups.putIfAbsent(ref, item.line());
                if (first != null) {
                    problem(item.line(), "role \"" + role + "\" lists group \"" + text.get() + "\" twice (first at line "
                            + first + ")");
                    ok = false;
                }
            }
            return ok ? Optional.of(List.copyOf(groups.keySet())) : Optional.empty();
        }

        private List<Route> routes(Entry entry) {
            if (!(entry.value() instanceof Sequence list)) {
                problem(entry.value().line(), "routes: expected a list of routes, got " + entry.value().describe());
                return List.of();
            }
            List<Route> routes = new ArrayList<>();
            for (YamlNode item : list.items()) {
                route(routes.size(), item).ifPresent(routes::add);
            }
            return routes;
        }

        private Optional<Route> route(int index, YamlNode node) {
            String name = "route " + (index + 1);
            if (!(node instanceof Mapping route)) {
                problem(node.line(), name + ": expected a mapping with path and allow (or public: true), got "
                        + node.describe());
                return Optional.empty();
            }
            int before = problems.size();
            for (Entry entry : route.entries()) {
                if (!ROUTE_KEYS.contains(entry.key())) {
                    problem(entry.line(), name + ": unknown key \"" + entry.key()
                            + "\"; expected path, methods, allow, public or stale");
                }
            }
            Optional<PathPattern> pattern = route.entry("path").flatMap(e -> path(name, e));
            if (route.entry("path").isEmpty()) {
                problem(route.line(), name + ": expected a path, e.g. path: /api/**");
            }
            List<String> methods = route.entry("methods").map(e -> methods(name, e)).orElse(List.of());
            boolean isPublic = route.entry("public").map(e -> bool(name, e)).orElse(false);
            Optional<Entry> allow = route.entry("allow");
            Optional<Entry> stale = route.entry("stale");
            List<String> roleNames = allow.map(e -> allow(name, e, isPublic)).orElse(List.of());
            if (isPublic && allow.isPresent()) {
                problem(allow.get().line(), name + ": expected either public: true or allow, not both");
            }
            if (!isPublic && allow.isEmpty()) {
                problem(route.line(), name + ": expected allow: [roles...] or public: true");
            }
            WhenStale whenStale = stale.map(e -> stale(name, e)).orElse(WhenStale.DENY);
            if (isPublic && stale.isPresent()) {
                problem(stale.get().line(), name + ": stale has no effect on a public route, which consults no"
                        + " directory; expected no stale key");
            }
            if (problems.size() > before || pattern.isEmpty()) {
                return Optional.empty();
            }
            Set<GroupRef> groups = new LinkedHashSet<>();
            for (String role : roleNames) {
                groups.addAll(roles.getOrDefault(role, List.of()));
            }
            return Optional.of(new Route(index, pattern.get(), methods, isPublic, roleNames, List.copyOf(groups),
                    whenStale, route.line()));
        }

        private Optional<PathPattern> path(String route, Entry entry) {
            Optional<String> text = text(entry.value(), route + ": path: expected a path pattern, e.g. /api/**");
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(PathPattern.parse(text.get()));
            } catch (IllegalArgumentException e) {
                problem(entry.value().line(), route + ": path \"" + text.get() + "\": " + e.getMessage());
                return Optional.empty();
            }
        }

        private List<String> methods(String route, Entry entry) {
            String expected = route + ": methods: expected a list of HTTP methods, e.g. [GET, HEAD] (leave methods"
                    + " out for every method)";
            if (!(entry.value() instanceof Sequence list) || list.items().isEmpty()) {
                problem(entry.value().line(), expected + ", got " + (entry.value() instanceof Sequence
                        ? "an empty list" : entry.value().describe()));
                return List.of();
            }
            Map<String, Integer> methods = new LinkedHashMap<>();
            for (YamlNode item : list.items()) {
                Optional<String> text = text(item, route + ": methods: expected an HTTP method, e.g. GET");
                if (text.isEmpty()) {
                    continue;
                }
                String method = text.get();
                if (!isToken(method)) {
                    problem(item.line(), route + ": method \"" + method
                            + "\": expected an HTTP method token (RFC 9110 §9.1), e.g. GET");
                } else if (!method.equals(method.toUpperCase(Locale.ROOT))) {
                    problem(item.line(), route + ": method \"" + method + "\": methods are case-sensitive (RFC 9110"
                            + " §9.1); expected " + method.toUpperCase(Locale.ROOT));
                } else {
                    Integer first = methods.putIfAbsent(method, item.line());
                    if (first != null) {
                        problem(item.line(), route + ": method " + method + " is listed twice");
                    }
                }
            }
            return List.copyOf(methods.keySet());
        }

        private List<String> allow(String route, Entry entry, boolean isPublic) {
            if (!(entry.value() instanceof Sequence list)) {
                String hint = entry.value() instanceof Scalar s && !s.isNull() ? ", e.g. [" + s.text() + "]" : "";
                problem(entry.value().line(), route + ": allow: expected a list of roles" + hint + ", got "
                        + entry.value().describe());
                return List.of();
            }
            if (list.items().isEmpty() && !isPublic) {
                problem(entry.line(), route + ": allow is empty; expected at least one role, or public: true");
                return List.of();
            }
            Map<String, Integer> names = new LinkedHashMap<>();
            for (YamlNode item : list.items()) {
                Optional<String> text = text(item, route + ": allow: expected a role name");
                if (text.isEmpty()) {
                    continue;
                }
                String role = text.get();
                if (!declared.contains(role)) {
                    problem(item.line(), route + ": unknown role \"" + role + "\" in allow; expected "
                            + (declared.isEmpty() ? "a role declared under roles" : "one of: " + String.join(", ", declared)));
                    continue;
                }
                Integer first = names.putIfAbsent(role, item.line());
                if (first != null) {
                    problem(item.line(), route + ": role \"" + role + "\" is listed twice in allow");
                }
            }
            return List.copyOf(names.keySet());
        }

        private boolean bool(String route, Entry entry) {
            // YAML 1.1 reads yes/on/y as true; a policy says exactly true or false.
            if (entry.value() instanceof Scalar s && (s.text().equals("true") || s.text().equals("false"))) {
                return s.text().equals("true");
            }
            problem(entry.value().line(), route + ": " + entry.key() + ": expected true or false, got "
                    + entry.value().describe());
            return false;
        }

        private WhenStale stale(String route, Entry entry) {
            if (entry.value() instanceof Scalar s) {
                switch (s.text()) {
                    case "allow" -> {
                        return WhenStale.ALLOW;
                    }
                    case "deny" -> {
                        return WhenStale.DENY;
                    }
                    default -> {
                    }
                }
            }
            problem(entry.value().line(), route + ": stale: expected allow or deny, got " + entry.value().describe());
            return WhenStale.DENY;
        }

        /** The text of a non-null scalar, or a problem {@code expected + ", got ..."}. */
        private Optional<String> text(YamlNode node, String expected) {
            if (node instanceof Scalar s && !s.isNull()) {
                return Optional.of(s.text());
            }
            problem(node.line(), expected + ", got " + node.describe());
            return Optional.empty();
        }

        /** RFC 9110 §5.6.2: token = 1*tchar. */
        private static boolean isToken(String s) {
            if (s.isEmpty()) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
                if (!tchar) {
                    return false;
                }
            }
            return true;
        }

        private void problem(int line, String message) {
            problems.add(new PolicyException.Problem(line, message));
        }
    }
}
