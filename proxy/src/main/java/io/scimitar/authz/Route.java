package io.scimitar.authz;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the policy's {@code routes} list, validated: where it is in the file, the path
 * pattern and methods it matches, and who it lets through (everyone, or the members of the
 * groups its roles name, flattened).
 *
 * <p>A final class rather than a record so that it can carry its own {@code Optional}: the
 * matcher and every {@link Decision} hand out the same instance instead of allocating one per request.
 */
public final class Route {

    private final int index;
    private final PathPattern pattern;
    private final String[] methods;
    private final boolean isPublic;
    private final List<String> roles;
    private final GroupRef[] groups;
    private final WhenStale whenStale;
    private final int line;
    private final Optional<Route> self;

    Route(int index, PathPattern pattern, List<String> methods, boolean isPublic, List<String> roles,
            List<GroupRef> groups, WhenStale whenStale, int line) {
        this.index = index;
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.methods = methods.toArray(String[]::new);
        this.isPublic = isPublic;
        this.roles = List.copyOf(roles);
        this.groups = groups.toArray(GroupRef[]::new);
        this.whenStale = Objects.requireNonNull(whenStale, "whenStale");
        this.line = line;
        this.self = Optional.of(this);
    }

    /** The position in the policy's {@code routes} list, from 0: the lower index wins a tie. */
    public int index() {
        return index;
    }

    /** The path pattern as written, e.g. {@code /api/**}. */
    public String pattern() {
        return pattern.text();
    }

    /** The methods this route matches, upper-case as written; empty means every method. */
    public List<String> methods() {
        return List.of(methods);
    }

    /** Whether the route needs no token at all. */
    public boolean isPublic() {
        return isPublic;
    }

    /** The role names in {@code allow}, in file order; empty for a public route. */
    public List<String> roles() {
        return roles;
    }

    /** The group references of all allowed roles, flattened and without duplicates, in file order. */
    public List<GroupRef> groups() {
        return List.of(groups);
    }

    /** What this route does while the directory is stale. */
    public WhenStale whenStale() {
        return whenStale;
    }

    /** The line of the file where the route starts (its {@code - path:} entry), for explain and audit. */
    public int line() {
        return line;
    }

    /** This route as an {@code Optional}, the same instance every time. */
    public Optional<Route> asOptional() {
        return self;
    }

    PathPattern compiledPattern() {
        return pattern;
    }

    /** Whether {@code method} is one of this route's methods: exact, case-sensitive (RFC 9110 §9.1). */
    boolean matchesMethod(String method) {
        if (methods.length == 0) {
            return true;
        }
        for (String m : methods) {
            if (m.equals(method)) {
                return true;
            }
        }
        return false;
    }

    /** The flattened groups without a copy, for the authorizer's allocation-free loop. */
    GroupRef[] groupArray() {
        return groups;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route other && index == other.index && isPublic == other.isPublic && line == other.line
                && pattern.equals(other.pattern) && Arrays.equals(methods, other.methods)
                && roles.equals(other.roles) && Arrays.equals(groups, other.groups) && whenStale == other.whenStale;
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, pattern.text(), line);
    }

    @Override
    public String toString() {
        return "Route[#" + index + " line " + line + " " + (methods.length == 0 ? "*" : String.join(",", methods))
                + " " + pattern.text() + (isPublic ? " public" : " allow " + roles) + "]";
    }
}
