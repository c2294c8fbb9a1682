package io.scimitar.scim.filter;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.error.ScimException;

/**
 * Compares one stored value with a filter operand by attribute type (RFC 7644 §3.4.2.2): strings
 * honour caseExact and order lexicographically, booleans only test equality, numbers and
 * dateTimes compare by value.
 */
final class ValueComparison {

    private ValueComparison() {
    }

    static boolean compareString(CompareOp op, JsonNode actual, JsonNode operand, boolean caseExact) {
        if (!operand.isTextual() && !operand.isNumber()) {
            return false; // a string never equals true or false
        }
        if (!actual.isValueNode()) {
            return false;
        }
        String have = actual.asText();
        String want = operand.asText();
        if (!caseExact) {
            have = have.toLowerCase(Locale.ROOT);
            want = want.toLowerCase(Locale.ROOT);
        }
        return switch (op) {
            case EQ -> have.equals(want);
            case NE -> !have.equals(want);
            case CO -> have.contains(want);
            case SW -> have.startsWith(want);
            case EW -> have.endsWith(want);
            // RFC 7644 §3.4.2.2: strings order lexicographically.
            case GT -> have.compareTo(want) > 0;
            case GE -> have.compareTo(want) >= 0;
            case LT -> have.compareTo(want) < 0;
            case LE -> have.compareTo(want) <= 0;
        };
    }

    static boolean compareBoolean(CompareOp op, JsonNode actual, JsonNode operand, Filter.Compare compare) {
        if (isOrdering(op)) {
            throw orderingRefused(compare, "boolean");
        }
        Optional<Boolean> have = asBoolean(actual);
        Optional<Boolean> want = asBoolean(operand);
        if (have.isEmpty() || want.isEmpty()) {
            return false;
        }
        return switch (op) {
            case EQ -> have.get().equals(want.get());
            case NE -> !have.get().equals(want.get());
            default -> false;
        };
    }

    /** Booleans, and the strings "true"/"false" that some clients store or send (Entra's "False"). */
    private static Optional<Boolean> asBoolean(JsonNode node) {
        if (node.isBoolean()) {
            return Optional.of(node.booleanValue());
        }
        if (node.isTextual()) {
            String text = node.textValue();
            if (text.equalsIgnoreCase("true")) {
                return Optional.of(true);
            }
            if (text.equalsIgnoreCase("false")) {
                return Optional.of(false);
            }
        }
        return Optional.empty();
    }

    static boolean compareNumber(CompareOp op, JsonNode actual, JsonNode operand) {
        Optional<BigDecimal> have = asNumber(actual);
        Optional<BigDecimal> want = asNumber(operand);
        if (have.isEmpty() || want.isEmpty()) {
            return false;
        }
        return holds(op, have.get().compareTo(want.get()));
    }

    /**
     * Whether {@code op} holds for two values that compare as {@code order} (negative, zero,
     * positive): numbers and dateTimes, whose substring operators have no meaning.
     */
    private static boolean holds(CompareOp op, int order) {
        return switch (op) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case GT -> order > 0;
            case GE -> order >= 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case CO, SW, EW -> false;
        };
    }

    private static Optional<BigDecimal> asNumber(JsonNode node) {
        if (node.isNumber()) {
            return Optional.of(node.decimalValue());
        }
        if (node.isTextual() && node.textValue().length() <= 100) {
            try {
                return Optional.of(new BigDecimal(node.textValue().trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static boolean compareDateTime(CompareOp op, JsonNode actual, JsonNode operand, Filter.Compare compare) {
        if (op == CompareOp.CO || op == CompareOp.SW || op == CompareOp.EW) {
            return compareString(op, actual, operand, false);
        }
        Instant want = operandInstant(compare);
        Optional<Instant> have = actual.isTextual() ? instant(actual.textValue()) : Optional.empty();
        if (have.isEmpty()) {
            return false; // a stored value that is not a dateTime matches nothing
        }
        return holds(op, have.get().compareTo(want));
    }

    static Instant operandInstant(Filter.Compare compare) {
        JsonNode operand = compare.value();
        return (operand.isTextual() ? instant(operand.textValue()) : Optional.<Instant>empty())
                .orElseThrow(() -> ScimException.invalidFilter("\"" + compare.path() + "\" is a dateTime; "
                        + operand + " is not an xsd:dateTime such as \"2011-05-13T04:42:34Z\""));
    }

    /** xsd:dateTime as SCIM uses it (RFC 7643 §2.3.5): with a zone, "Z" or an offset. */
    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static boolean isOrdering(CompareOp op) {
        return op == CompareOp.GT || op == CompareOp.GE || op == CompareOp.LT || op == CompareOp.LE;
    }

    static ScimException orderingRefused(Filter.Compare compare, String kind) {
        // RFC 7644 §3.4.2.2: gt/ge/lt/le on boolean or binary attributes is a failed response.
        return ScimException.invalidFilter("operator '" + compare.op().wireName() + "' cannot be used on the "
                + kind + " attribute \"" + compare.path() + "\"");
    }

    /** pr (RFC 7644 §3.4.2.2): a non-null value that is not an empty string, array or object. */
    static boolean isPresent(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (node.isTextual()) {
            return !node.textValue().isEmpty();
        }
        if (node.isContainerNode()) {
            return !node.isEmpty();
        }
        return true;
    }
}
