package io.scimitar.scim.filter;

import io.scimitar.scim.error.ScimException;

/**
 * Parses the filter grammar of RFC 7644 §3.4.2.2 into a {@link Filter} tree, and PATCH paths
 * (§3.5.2) into a {@link PatchPath}. Errors are {@link ScimException#invalidFilter} (for filters)
 * or {@link ScimException#invalidPath} (for PATCH paths) naming the position and what was expected.
 */
public final class FilterParser {

    private FilterParser() {
    }

    /** Parses a filter expression, e.g. {@code userName eq "bjensen" and not (emails co "x")}. */
    public static Filter parse(String filter) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Parses a PATCH operation path, e.g. {@code emails[type eq "work"].value}. */
    public static PatchPath parsePatchPath(String path) {
        // TEMP filter stub for patch tests: attr, attr.sub, URN-qualified, attr[sub op "v" (and|or ...)*][.sub].
        String text = path.trim();
        int bracket = text.indexOf('[');
        String head = bracket < 0 ? text : text.substring(0, bracket);
        AttributePath attribute = tempAttributePath(head);
        if (bracket < 0) {
            return new PatchPath(attribute, java.util.Optional.empty(), "");
        }
        int close = text.lastIndexOf(']');
        if (close < bracket || !attribute.subAttribute().isEmpty()) {
            throw ScimException.invalidPath("unbalanced '[' in " + path);
        }
        String rest = text.substring(close + 1);
        if (!rest.isEmpty() && (!rest.startsWith(".") || rest.length() == 1)) {
            throw ScimException.invalidPath("expected '.subAttribute' after ']' in " + path);
        }
        Filter inner = tempFilter(text.substring(bracket + 1, close), path);
        return new PatchPath(attribute, java.util.Optional.of(inner), rest.isEmpty() ? "" : rest.substring(1));
    }

    private static AttributePath tempAttributePath(String head) {
        String urn = "";
        String local = head;
        if (head.regionMatches(true, 0, "urn:", 0, 4)) {
            int colon = head.lastIndexOf(':');
            urn = head.substring(0, colon);
            local = head.substring(colon + 1);
        }
        int dot = local.indexOf('.');
        String attr = dot < 0 ? local : local.substring(0, dot);
        String sub = dot < 0 ? "" : local.substring(dot + 1);
        if (!attr.matches("[A-Za-z$][\\w$-]*") || !(sub.isEmpty() || sub.matches("[A-Za-z$][\\w$-]*"))) {
            throw ScimException.invalidPath("not an attribute path: " + head);
        }
        return new AttributePath(urn, attr, sub);
    }

    private static Filter tempFilter(String text, String path) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\\s*([A-Za-z$][\\w$.-]*)\\s+(eq|ne|co|sw|ew)\\s+(\"(?:[^\"\\\\]|\\\\.)*\"|true|false)\\s*(?:(and|or)\\s+|$)",
                java.util.regex.Pattern.CASE_INSENSITIVE).matcher(text);
        Filter result = null;
        String pending = null;
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            String v = m.group(3);
            com.fasterxml.jackson.databind.JsonNode value = v.startsWith("\"")
                    ? com.fasterxml.jackson.databind.node.TextNode.valueOf(v.substring(1, v.length() - 1).replace("\\\"", "\""))
                    : com.fasterxml.jackson.databind.node.BooleanNode.valueOf(Boolean.parseBoolean(v));
            Filter cmp = new Filter.Compare(tempAttributePath(m.group(1)), CompareOp.byName(m.group(2)).orElseThrow(), value);
            result = result == null ? cmp : "and".equalsIgnoreCase(pending) ? new Filter.And(result, cmp) : new Filter.Or(result, cmp);
            pending = m.group(4);
            at = m.end();
        }
        if (result == null || at != text.length() || pending != null) {
            throw ScimException.invalidPath("unsupported value filter in " + path);
        }
        return result;
    }

    /** Parses an attribute path, e.g. {@code name.givenName} or a URN-qualified one; used by sortBy and attributes. */
    public static AttributePath parseAttributePath(String path) {
        throw new UnsupportedOperationException("TODO");
    }
}
