package io.scimitar.scim.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.scimitar.scim.error.ScimException;

/**
 * Splits filter text into tokens: brackets, JSON string literals and words (attribute paths,
 * operators, keywords and unquoted values). Positions are 1-based character offsets, as quoted in
 * error messages.
 */
final class FilterTokenizer {

    enum Kind {
        LPAREN, RPAREN, LBRACKET, RBRACKET, STRING, WORD, END
    }

    /**
     * @param text      the token's source text; for strings the raw literal including its quotes
     * @param position  1-based offset of the token's first character
     * @param adjacent  true when no whitespace separates the token from the previous one
     */
    record Token(Kind kind, String text, int position, boolean adjacent) {

        boolean is(Kind expected) {
            return kind == expected;
        }

        boolean isWord(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        /** How the token reads in an error message. */
        String describe() {
            if (kind == Kind.END) {
                return "end of input";
            }
            String shown = text.length() > 24 ? text.substring(0, 24) + "…" : text;
            return "'" + shown + "'";
        }
    }

    private FilterTokenizer() {
    }

    static List<Token> tokenize(String input, Function<String, ScimException> error) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = input.length();
        boolean adjacent = true;
        while (i < n) {
            char c = input.charAt(i);
            if (Character.isWhitespace(c)) {
                adjacent = false;
                i++;
                continue;
            }
            int start = i;
            switch (c) {
                case '(' -> tokens.add(new Token(Kind.LPAREN, "(", start + 1, adjacent));
                case ')' -> tokens.add(new Token(Kind.RPAREN, ")", start + 1, adjacent));
                case '[' -> tokens.add(new Token(Kind.LBRACKET, "[", start + 1, adjacent));
                case ']' -> tokens.add(new Token(Kind.RBRACKET, "]", start + 1, adjacent));
                case '"' -> {
                    i = endOfString(input, start, error);
                    tokens.add(new Token(Kind.STRING, input.substring(start, i), start + 1, adjacent));
                    adjacent = true;
                    continue;
                }
                default -> {
                    while (i < n && !isDelimiter(input.charAt(i))) {
                        i++;
                    }
                    tokens.add(new Token(Kind.WORD, input.substring(start, i), start + 1, adjacent));
                    adjacent = true;
                    continue;
                }
            }
            adjacent = true;
            i++;
        }
        tokens.add(new Token(Kind.END, "", n + 1, adjacent));
        return tokens;
    }

    private static boolean isDelimiter(char c) {
        return Character.isWhitespace(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '"';
    }

    /** The index just past the closing quote of the string literal opening at {@code start}. */
    private static int endOfString(String input, int start, Function<String, ScimException> error) {
        int i = start + 1;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        throw error.apply("unterminated string starting at " + (start + 1));
    }
}
