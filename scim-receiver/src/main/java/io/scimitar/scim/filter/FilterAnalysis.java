package io.scimitar.scim.filter;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Static facts about a parsed {@link Filter} that let the store plan a search: which top-level
 * attributes it reads, and whether it is a single equality that an index can answer.
 */
public final class FilterAnalysis {

    /** A filter of the form {@code attr eq "string"}, e.g. Okta's {@code userName eq "…"} probe. */
    public record Equality(AttributePath path, String value) {
    }

    private FilterAnalysis() {
    }

    /** The lower-cased names of the top-level attributes the filter reads, in order of appearance. */
    public static Set<String> referencedAttributes(Filter filter) {
        Set<String> names = new LinkedHashSet<>();
        collect(filter, names);
        return names;
    }

    private static void collect(Filter filter, Set<String> names) {
        switch (filter) {
            case Filter.And and -> {
                collect(and.left(), names);
                collect(and.right(), names);
            }
            case Filter.Or or -> {
                collect(or.left(), names);
                collect(or.right(), names);
            }
            case Filter.Not not -> collect(not.inner(), names);
            case Filter.Compare compare -> names.add(key(compare.path()));
            case Filter.Present present -> names.add(key(present.path()));
            // inner paths of a value path are sub-attributes of this attribute
            case Filter.ValuePath valuePath -> names.add(key(valuePath.attribute()));
        }
    }

    /** The number of attribute comparisons ({@code eq}, {@code pr}, ...) in the filter, value paths included. */
    public static int termCount(Filter filter) {
        return switch (filter) {
            case Filter.And and -> termCount(and.left()) + termCount(and.right());
            case Filter.Or or -> termCount(or.left()) + termCount(or.right());
            case Filter.Not not -> termCount(not.inner());
            case Filter.Compare compare -> 1;
            case Filter.Present present -> 1;
            case Filter.ValuePath valuePath -> termCount(valuePath.filter());
        };
    }

    private static String key(AttributePath path) {
        return path.attribute().toLowerCase(Locale.ROOT);
    }

    /**
     * The path and string when the whole filter is {@code attr eq "string"} on an attribute without
     * sub-attribute (quoted or Entra's unquoted word); empty for anything else.
     */
    public static Optional<Equality> simpleEquality(Filter filter) {
        if (filter instanceof Filter.Compare compare
                && compare.op() == CompareOp.EQ
                && compare.value().isTextual()
                && compare.path().sub().isEmpty()) {
            return Optional.of(new Equality(compare.path(), compare.value().textValue()));
        }
        return Optional.empty();
    }
}
