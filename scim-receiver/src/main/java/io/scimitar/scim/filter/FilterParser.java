package io.scimitar.scim.filter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.filter.FilterTokenizer.Kind;
import io.scimitar.scim.filter.FilterTokenizer.Token;
import io.scimitar.scim.json.Json;

/**
 * Parses the filter grammar of RFC 7644 §3.4.2.2 into a {@link Filter} tree, and PATCH paths
 * (§3.5.2) into a {@link PatchPath}. Errors are {@link ScimException#invalidFilter} (for filters)
 * or {@link ScimException#invalidPath} (for PATCH paths and attribute paths) naming the 1-based
 * position and what was expected.
 */
public final class FilterParser {

    /** Longest filter or path accepted; real IdP filters are a few hundred characters at most. */
    public static final int MAX_LENGTH = 8 * 1024;
    /** Deepest nesting of parentheses, {@code not} and value paths; bounds the recursion. */
    public static final int MAX_DEPTH = 50;

    /** RFC 7644 ATTRNAME, widened by {@code $} for {@code $ref} (RFC 7643 §2.3.7). */
    private static final Pattern ATTRNAME = Pattern.compile("[A-Za-z$][A-Za-z0-9_$-]*");
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final List<Token> tokens;
    private final Function<String, ScimException> error;
    private int next;
    private int depth;

    private FilterParser(String input, Function<String, ScimException> error) {
        this.error = error;
        this.tokens = FilterTokenizer.tokenize(input, error);
    }

    /** Parses a filter expression, e.g. {@code userName eq "bjensen" and not (emails co "x")}. */
    public static Filter parse(String filter) {
        FilterParser parser = start(filter, ScimException::invalidFilter, "filter");
        Filter result = parser.orExpression(false);
        parser.expectEnd("'and', 'or' or the end of the filter");
        return result;
    }

    /**
     * Parses a PATCH operation path (RFC 7644 §3.5.2): {@code attrPath} or
     * {@code valuePath [ "." subAttr ]}, e.g. {@code emails[type eq "work"].value}. A bare schema
     * URN ({@code urn:…:enterprise:2.0:User}) is split at its last colon like any URN-qualified path;
     * the PATCH engine recognises the whole URN again.
     */
    public static PatchPath parsePatchPath(String path) {
        FilterParser parser = start(path, ScimException::invalidPath, "path");
        Token head = parser.expectWord("an attribute path");
        AttributePath attribute = parser.attributePath(head);
        if (!parser.peek().is(Kind.LBRACKET)) {
            parser.expectEnd("'[' or the end of the path");
            return new PatchPath(attribute, Optional.empty(), "");
        }
        Token bracket = parser.take();
        if (attribute.sub().isPresent()) {
            throw parser.error.apply("a value filter at " + bracket.position()
                    + " must follow an attribute without sub-attribute");
        }
        parser.enter(bracket);
        Filter inner = parser.orExpression(true);
        parser.expect(Kind.RBRACKET, "']' or 'and'/'or'");
        String sub = "";
        Token after = parser.peek();
        if (after.kind() == Kind.WORD && after.adjacent() && after.text().startsWith(".")) {
            parser.take();
            sub = parser.subAttributeName(after);
        }
        parser.expectEnd("'.subAttribute' or the end of the path");
        return new PatchPath(attribute, Optional.of(inner), sub);
    }

    /** Parses an attribute path, e.g. {@code name.givenName} or a URN-qualified one; used by sortBy and attributes. */
    public static AttributePath parseAttributePath(String path) {
        FilterParser parser = start(path, ScimException::invalidPath, "attribute path");
        AttributePath result = parser.attributePath(parser.expectWord("an attribute path"));
        parser.expectEnd("the end of the attribute path");
        return result;
    }

    private static FilterParser start(String input, Function<String, ScimException> error, String what) {
        if (input == null || input.isBlank()) {
            throw error.apply("empty " + what);
        }
        if (input.length() > MAX_LENGTH) {
            throw error.apply(what + " longer than " + MAX_LENGTH + " characters");
        }
        return new FilterParser(input, error);
    }

    // filter = andExpr *("or" andExpr); "or" binds loosest (RFC 7644 §3.4.2.2, Table 5)
    private Filter orExpression(boolean inValuePath) {
        Filter left = andExpression(inValuePath);
        while (peek().isWord("or")) {
            take();
            left = new Filter.Or(left, andExpression(inValuePath));
        }
        return left;
    }

    private Filter andExpression(boolean inValuePath) {
        Filter left = unary(inValuePath);
        while (peek().isWord("and")) {
            take();
            left = new Filter.And(left, unary(inValuePath));
        }
        return left;
    }

    private Filter unary(boolean inValuePath) {
        Token token = peek();
        if (token.isWord("not") && peekAt(1).is(Kind.LPAREN)) {
            take();
            return new Filter.Not(group(inValuePath));
        }
        if (token.isWord("not")) {
            throw unexpected(peekAt(1), "'(' after 'not'");
        }
        if (token.is(Kind.LPAREN)) {
            return group(inValuePath);
        }
        if (token.is(Kind.WORD)) {
            return attributeExpression(inValuePath);
        }
        throw unexpected(token, "an attribute path, '(' or 'not'");
    }

    private Filter group(boolean inValuePath) {
        Token open = take();
        enter(open);
        Filter inner = orExpression(inValuePath);
        if (peek().is(Kind.END)) {
            throw error.apply("missing ')' for the '(' at " + open.position());
        }
        expect(Kind.RPAREN, "')', 'and' or 'or'");
        depth--;
        return inner;
    }

    private Filter attributeExpression(boolean inValuePath) {
        Token head = take();
        AttributePath path = attributePath(head);
        if (peek().is(Kind.LBRACKET)) {
            return valuePath(path, inValuePath);
        }
        return comparison(path);
    }

    private Filter valuePath(AttributePath path, boolean inValuePath) {
        Token bracket = take();
        if (inValuePath) {
            throw error.apply("nested value filter at " + bracket.position() + " (a value filter cannot contain another)");
        }
        if (path.sub().isPresent()) {
            throw error.apply("a value filter at " + bracket.position()
                    + " must follow an attribute without sub-attribute, not " + path);
        }
        enter(bracket);
        Filter inner = orExpression(true);
        expect(Kind.RBRACKET, "']', 'and' or 'or'");
        depth--;
        Token after = peek();
        if (after.kind() == Kind.WORD && after.adjacent() && after.text().startsWith(".")) {
            // Entra's uniqueness probe: emails[type eq "work"].value eq "x" means an element
            // satisfying both the bracket filter and the comparison on its sub-attribute.
            take();
            AttributePath sub = AttributePath.of(subAttributeName(after));
            inner = new Filter.And(inner, comparison(sub));
        }
        return new Filter.ValuePath(path, inner);
    }

    private Filter comparison(AttributePath path) {
        Token operator = peek();
        if (operator.isWord("pr")) {
            take();
            Token after = peek();
            if (after.is(Kind.STRING) || (after.is(Kind.WORD) && !after.isWord("and") && !after.isWord("or"))) {
                throw error.apply("operator 'pr' at " + operator.position() + " takes no value, found " + after.describe());
            }
            return new Filter.Present(path);
        }
        if (!operator.is(Kind.WORD)) {
            throw unexpected(operator, "an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after " + path);
        }
        CompareOp op = CompareOp.byName(operator.text())
                .orElseThrow(() -> unexpected(operator, "an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after " + path));
        take();
        Token valueToken = take();
        JsonNode value = value(valueToken);
        boolean ordering = op == CompareOp.GT || op == CompareOp.GE || op == CompareOp.LT || op == CompareOp.LE;
        if (ordering && (value.isBoolean() || value.isNull())) {
            // RFC 7644 §3.4.2.2: ordering on booleans is a failed request; null has no order.
            throw error.apply("operator '" + op.wireName() + "' at " + operator.position()
                    + " cannot compare with " + valueToken.text());
        }
        return new Filter.Compare(path, op, value);
    }

    /** compValue = false / null / true / number / string; an unquoted word is a string (Entra). */
    private JsonNode value(Token token) {
        if (token.is(Kind.STRING)) {
            try {
                JsonNode node = Json.MAPPER.readTree(token.text());
                if (node != null && node.isTextual()) {
                    return node;
                }
            } catch (JsonProcessingException e) {
                // fall through to the error below
            }
            throw error.apply("invalid string literal at " + token.position());
        }
        if (!token.is(Kind.WORD)) {
            throw unexpected(token, "a value (string, number, true, false or null)");
        }
        String text = token.text();
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true":
                return BooleanNode.TRUE;
            case "false":
                return BooleanNode.FALSE;
            case "null":
                return NullNode.getInstance();
            default:
                break;
        }
        if (NUMBER.matcher(text).matches()) {
            if (text.length() > Json.MAX_NUMBER_LENGTH) {
                throw error.apply("number at " + token.position() + " longer than " + Json.MAX_NUMBER_LENGTH + " digits");
            }
            return number(text);
        }
        return TextNode.valueOf(text);
    }

    private static JsonNode number(String text) {
        if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
            return DecimalNode.valueOf(new BigDecimal(text));
        }
        BigInteger integer = new BigInteger(text);
        if (integer.bitLength() < 32) {
            return IntNode.valueOf(integer.intValue());
        }
        if (integer.bitLength() < 64) {
            return LongNode.valueOf(integer.longValue());
        }
        return BigIntegerNode.valueOf(integer);
    }

    /**
     * attrPath = [URI ":"] ATTRNAME *1subAttr. The URN is everything up to the last colon, so
     * {@code urn:…:2.0:User:name.givenName} has the URN {@code urn:…:2.0:User}.
     */
    private AttributePath attributePath(Token token) {
        String text = token.text();
        String urn = "";
        String local = text;
        if (text.regionMatches(true, 0, "urn:", 0, 4)) {
            int colon = text.lastIndexOf(':');
            urn = text.substring(0, colon);
            local = text.substring(colon + 1);
            if (urn.length() <= 4 || urn.endsWith(":")) {
                throw error.apply("invalid schema URN in " + token.describe() + " at " + token.position());
            }
        } else if (text.indexOf(':') >= 0) {
            throw error.apply("invalid attribute path " + token.describe() + " at " + token.position()
                    + " (a schema URN starts with 'urn:')");
        }
        int dot = local.indexOf('.');
        String attribute = dot < 0 ? local : local.substring(0, dot);
        String sub = dot < 0 ? "" : local.substring(dot + 1);
        if (!ATTRNAME.matcher(attribute).matches() || !(sub.isEmpty() || ATTRNAME.matcher(sub).matches())
                || (dot >= 0 && sub.isEmpty())) {
            throw error.apply("invalid attribute path " + token.describe() + " at " + token.position());
        }
        return new AttributePath(urn, attribute, sub);
    }

    /** The name in a {@code .subAttr} word that follows a closing bracket. */
    private String subAttributeName(Token token) {
        String name = token.text().substring(1);
        if (!ATTRNAME.matcher(name).matches()) {
            throw error.apply("invalid sub-attribute " + token.describe() + " at " + token.position());
        }
        return name;
    }

    private void enter(Token token) {
        depth++;
        if (depth > MAX_DEPTH) {
            throw error.apply("nested deeper than " + MAX_DEPTH + " levels at " + token.position());
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private Token expect(Kind kind, String expected) {
        Token token = peek();
        if (token.kind() != kind) {
            throw unexpected(token, expected);
        }
        return take();
    }

    private Token expectWord(String expected) {
        return expect(Kind.WORD, expected);
    }

    private void expectEnd(String expected) {
        Token token = peek();
        if (token.kind() != Kind.END) {
            throw unexpected(token, expected);
        }
    }

    private ScimException unexpected(Token token, String expected) {
        if (token.kind() == Kind.END) {
            return error.apply("unexpected end of input at " + token.position() + ", expected " + expected);
        }
        return error.apply("unexpected " + token.describe() + " at " + token.position() + ", expected " + expected);
    }
}
