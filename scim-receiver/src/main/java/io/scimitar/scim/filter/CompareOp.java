package io.scimitar.scim.filter;

import java.util.Locale;
import java.util.Optional;

/** The attribute operators of RFC 7644 §3.4.2.2, except {@code pr} which is {@link Filter.Present}. */
public enum CompareOp {
    EQ, NE, CO, SW, EW, GT, GE, LT, LE;

    /** The operator with this name, compared case-insensitively ("eq", "EQ", "Eq"). */
    public static Optional<CompareOp> byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "eq" -> Optional.of(EQ);
            case "ne" -> Optional.of(NE);
            case "co" -> Optional.of(CO);
            case "sw" -> Optional.of(SW);
            case "ew" -> Optional.of(EW);
            case "gt" -> Optional.of(GT);
            case "ge" -> Optional.of(GE);
            case "lt" -> Optional.of(LT);
            case "le" -> Optional.of(LE);
            default -> Optional.empty();
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
