package io.scimitar.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The policy's routes compiled into a segment trie: {@link #match} walks the request path once,
 * by index, and returns the first route in file order whose pattern and methods match.
 *
 * <p>Several patterns can match one path ({@code /api/users} and {@code /api/**}), so the walk
 * follows every branch that can still match (the literal child, the {@code *} child, and the
 * {@code **} routes of each node it passes) and keeps the lowest route index; a branch whose
 * lowest index cannot beat the best found so far is skipped. Nothing is allocated per lookup:
 * segments are compared in place with {@code regionMatches}-style loops, and the result is the
 * route's own {@code Optional}.
 *
 * <p>Matching rules: literal segments compare case-sensitively (RFC 3986 §6.2.2.1 leaves the path
 * case-sensitive); {@code *} matches exactly one segment; a final {@code **} matches zero or more
 * segments, so {@code /admin/**} matches {@code /admin} itself, like an Envoy prefix (otherwise
 * {@code /admin} would fall through to a later, possibly wider, route). One trailing slash is
 * ignored: {@code /api/users/} matches as {@code /api/users}, because most application routers
 * treat the two alike and the policy must not read the path differently from the app.
 */
public final class RouteTable {

    private final Route[] routes;
    private final Node root;

    RouteTable(List<Route> routes) {
        this.routes = routes.toArray(Route[]::new);
        Builder root = new Builder();
        for (Route route : routes) {
            Builder node = root;
            for (String segment : route.compiledPattern().segments()) {
                node = segment.equals(PathPattern.ONE)
                        ? (node.star == null ? node.star = new Builder() : node.star)
                        : node.children.computeIfAbsent(segment, s -> new Builder());
            }
            (route.compiledPattern().rest() ? node.rest : node.end).add(route.index());
        }
        this.root = root.build();
    }

    /**
     * The first route, in file order, that matches {@code method} and {@code normalizedPath}, or
     * empty (the caller denies). The path must be normalized (absolute, no empty or dot segments,
     * no query); a path that is not is matched by no route, so a caller's mistake fails closed.
     *
     * @param method the request method, case-sensitive (RFC 9110 §9.1: {@code get} is not {@code GET})
     */
    public Optional<Route> match(String method, String normalizedPath) {
        if (!isNormalized(normalizedPath)) {
            return Optional.empty();
        }
        int best = search(root, normalizedPath, 1, method, Integer.MAX_VALUE);
        return best == Integer.MAX_VALUE ? Optional.empty() : routes[best].asOptional();
    }

    /** The routes in file order. */
    public List<Route> routes() {
        return List.of(routes);
    }

    private int search(Node node, String path, int position, String method, int best) {
        if (node.lowest >= best) {
            return best;
        }
        best = first(node.rest, method, best);
        if (position >= path.length()) {
            return first(node.end, method, best);
        }
        int end = path.indexOf('/', position);
        if (end < 0) {
            end = path.length();
        }
        Node child = node.child(path, position, end);
        if (child != null) {
            best = search(child, path, end + 1, method, best);
        }
        if (node.star != null) {
            best = search(node.star, path, end + 1, method, best);
        }
        return best;
    }

    /** The lowest index in {@code candidates} (ascending) below {@code best} whose route takes {@code method}. */
    private int first(int[] candidates, String method, int best) {
        for (int index : candidates) {
            if (index >= best) {
                break;
            }
            if (routes[index].matchesMethod(method)) {
                return index;
            }
        }
        return best;
    }

    /**
     * Whether the path is what the normalizer produces: starts with '/', no empty segment except
     * one trailing slash, no '.' or '..' segment, no '?' or '#'. One pass, no allocation.
     */
    static boolean isNormalized(String path) {
        int length = path.length();
        if (length == 0 || path.charAt(0) != '/') {
            return false;
        }
        int segmentStart = 1;
        for (int i = 1; i <= length; i++) {
            char c = i < length ? path.charAt(i) : '/';
            if (c == '?' || c == '#') {
                return false;
            }
            if (c == '/') {
                int size = i - segmentStart;
                if (size == 0 && i < length) {
                    return false; // "//"
                }
                if (size == 1 && path.charAt(segmentStart) == '.'
                        || size == 2 && path.charAt(segmentStart) == '.' && path.charAt(segmentStart + 1) == '.') {
                    return false;
                }
                segmentStart = i + 1;
            }
        }
        return true;
    }

    /** A frozen trie node: literal children sorted for binary search, the '*' child, and route indices. */
    private static final class Node {
        final String[] labels;
        final Node[] children;
        final Node star;
        final int[] end;
        final int[] rest;
        final int lowest;

        Node(String[] labels, Node[] children, Node star, int[] end, int[] rest) {
            this.labels = labels;
            this.children = children;
            this.star = star;
            this.end = end;
            this.rest = rest;
            int min = Integer.MAX_VALUE;
            for (Node child : children) {
                min = Math.min(min, child.lowest);
            }
            if (star != null) {
                min = Math.min(min, star.lowest);
            }
            if (end.length > 0) {
                min = Math.min(min, end[0]);
            }
            if (rest.length > 0) {
                min = Math.min(min, rest[0]);
            }
            this.lowest = min;
        }

        /** The child whose label equals {@code path[from, to)}, or null. */
        Node child(String path, int from, int to) {
            int low = 0;
            int high = labels.length - 1;
            while (low <= high) {
                int middle = (low + high) >>> 1;
                int order = compare(labels[middle], path, from, to);
                if (order < 0) {
                    low = middle + 1;
                } else if (order > 0) {
                    high = middle - 1;
                } else {
                    return children[middle];
                }
            }
            return null;
        }

        /** {@code label.compareTo(path.substring(from, to))} without the substring. */
        private static int compare(String label, String path, int from, int to) {
            int length = to - from;
            int common = Math.min(label.length(), length);
            for (int i = 0; i < common; i++) {
                int difference = label.charAt(i) - path.charAt(from + i);
                if (difference != 0) {
                    return difference;
                }
            }
            return label.length() - length;
        }
    }

    /** A trie node while the table is built; TreeMap keeps labels in {@link String#compareTo} order. */
    private static final class Builder {
        final TreeMap<String, Builder> children = new TreeMap<>();
        Builder star;
        final List<Integer> end = new ArrayList<>();
        final List<Integer> rest = new ArrayList<>();

        Node build() {
            String[] labels = children.keySet().toArray(String[]::new);
            Node[] nodes = children.values().stream().map(Builder::build).toArray(Node[]::new);
            // Routes are added in file order, so the index lists are already ascending.
            return new Node(labels, nodes, star == null ? null : star.build(),
                    end.stream().mapToInt(Integer::intValue).toArray(),
                    rest.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
