package io.scimitar.scim.filter;

/**
 * Renders a filter tree as a compact S-expression so that tests can state the exact tree in one
 * line: {@code (and (eq userType "Employee") (vp emails (eq type "work")))}. Paths render as
 * {@code urn|attribute.sub} so the URN split is visible.
 */
final class FilterSexpr {

    private FilterSexpr() {
    }

    static String of(Filter filter) {
        return switch (filter) {
            case Filter.Compare c -> "(" + c.op().wireName() + " " + path(c.path()) + " " + c.value() + ")";
            case Filter.Present p -> "(pr " + path(p.path()) + ")";
            case Filter.And a -> "(and " + of(a.left()) + " " + of(a.right()) + ")";
            case Filter.Or o -> "(or " + of(o.left()) + " " + of(o.right()) + ")";
            case Filter.Not n -> "(not " + of(n.inner()) + ")";
            case Filter.ValuePath v -> "(vp " + path(v.attribute()) + " " + of(v.filter()) + ")";
        };
    }

    static String path(AttributePath path) {
        return (path.hasUrn() ? path.urn() + "|" : "") + path.attribute()
                + (path.subAttribute().isEmpty() ? "" : "." + path.subAttribute());
    }

    static String of(PatchPath path) {
        return path(path.attribute())
                + path.valueFilter().map(f -> "[" + of(f) + "]").orElse("")
                + (path.subAttribute().isEmpty() ? "" : " ." + path.subAttribute());
    }
}
