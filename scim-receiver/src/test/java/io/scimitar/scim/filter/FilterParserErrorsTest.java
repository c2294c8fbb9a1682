package io.scimitar.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.error.ScimType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed filters are 400 invalidFilter naming the position and what was expected. */
class FilterParserErrorsTest {

    /** Rows of {@code filter => part of the detail}. */
    static Stream<Arguments> catalogue() {
        return FilterParserTest.table("""
                # structure
                userName eq "x") => unexpected ')' at 16, expected 'and', 'or' or the end
                (userName eq "x" => missing ')' for the '(' at 1
                ((a pr) => missing ')' for the '(' at 1
                () => unexpected ')' at 2, expected an attribute path, '(' or 'not'
                ) => unexpected ')' at 1
                userName => unexpected end of input at 9, expected an operator
                userName eq => unexpected end of input at 12, expected a value
                userName eq "x" and => unexpected end of input at 20, expected an attribute path
                userName eq "x" or => unexpected end of input at 19, expected an attribute path
                and userName eq "x" => unexpected 'userName' at 5, expected an operator
                userName eq "x" userName eq "y" => unexpected 'userName' at 17, expected 'and', 'or' or the end
                userName eq "x" "y" => unexpected '"y"' at 17
                userName eq "x" and and b pr => unexpected 'b' at 25, expected an operator
                "x" eq userName => unexpected '"x"' at 1, expected an attribute path
                [type eq "work"] => unexpected '[' at 1
                userName xx "x" => unexpected 'xx' at 10, expected an operator
                userName equals "x" => unexpected 'equals' at 10, expected an operator
                userName = "x" => unexpected '=' at 10, expected an operator
                userName eq ) => unexpected ')' at 13, expected a value
                userName eq ( => unexpected '(' at 13, expected a value
                a pr ] => unexpected ']' at 6
                not a pr => unexpected 'a' at 5, expected '(' after 'not'
                not => unexpected end of input at 4, expected '(' after 'not'
                not () => unexpected ')' at 6
                # strings
                userName eq "x => unterminated string starting at 13
                userName eq "x\\" => unterminated string starting at 13
                userName eq " => unterminated string starting at 13
                userName eq "bad \\q escape" => invalid string literal at 13
                userName eq "bad \\u12 escape" => invalid string literal at 13
                # pr takes no value
                title pr "x" => operator 'pr' at 7 takes no value
                title pr true => operator 'pr' at 7 takes no value
                title pr x => operator 'pr' at 7 takes no value
                # ordering on booleans and null
                active gt true => operator 'gt' at 8 cannot compare with true
                active ge false => operator 'ge' at 8 cannot compare with false
                active lt TRUE => operator 'lt' at 8 cannot compare with TRUE
                x le null => operator 'le' at 3 cannot compare with null
                # value paths
                emails[type eq "work" => unexpected end of input at 22, expected ']'
                emails[] => unexpected ']' at 8, expected an attribute path
                emails[type[value eq "x"]] => nested value filter at 12
                a[b[c eq 1]] => nested value filter at 4
                emails[type eq "work"] eq "x" => unexpected 'eq' at 24, expected 'and', 'or' or the end
                emails.type[value eq "x"] => must follow an attribute without sub-attribute
                emails[type eq "work"].value => unexpected end of input at 29, expected an operator
                emails[type eq "work"].value eq => unexpected end of input at 32, expected a value
                emails[type eq "work"].1value eq "x" => invalid sub-attribute '.1value' at 23
                emails[type eq "work"]. eq "x" => invalid sub-attribute '.' at 23
                emails[type eq "work")] => unexpected ')' at 22, expected ']'
                # attribute paths
                1abc eq "x" => invalid attribute path '1abc' at 1
                -abc eq "x" => invalid attribute path '-abc' at 1
                name. eq "x" => invalid attribute path 'name.' at 1
                name.givenName.x eq "x" => invalid attribute path 'name.givenName.x' at 1
                .name eq "x" => invalid attribute path '.name' at 1
                na*me eq "x" => invalid attribute path 'na*me' at 1
                foo:bar eq "x" => a schema URN starts with 'urn:'
                urn: eq "x" => invalid schema URN
                urn:x: eq "x" => invalid attribute path
                urn::a eq "x" => invalid schema URN
                urn:ietf:params:scim:schemas:core:2.0:User: eq "x" => invalid attribute path
                # numbers beyond the JSON limits
                a eq 1""" + "1".repeat(100) + """
                 => longer than 100 digits
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void refusesWithPositionAndExpectation(String filter, String detail) {
        assertThatThrownBy(() -> FilterParser.parse(filter))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.scimType()).contains(ScimType.INVALID_FILTER);
                    assertThat(e.status()).isEqualTo(400);
                })
                .hasMessageContaining(detail);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t\n", "   "})
    void refusesAnEmptyFilter(String filter) {
        assertThatThrownBy(() -> FilterParser.parse(filter))
                .isInstanceOf(ScimException.class)
                .hasMessage("empty filter");
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                Arguments.of("(".repeat(51) + "a pr" + ")".repeat(51), "nested deeper than 50 levels at 51"),
                Arguments.of("not (".repeat(51) + "a pr" + ")".repeat(51), "nested deeper than 50 levels"),
                Arguments.of("(".repeat(100_000), "longer than 8192 characters"),
                Arguments.of("(".repeat(8000), "nested deeper than 50 levels"),
                Arguments.of("not (".repeat(1600), "nested deeper than 50 levels"),
                Arguments.of("a eq \"" + "x".repeat(8200) + "\"", "longer than 8192 characters"),
                Arguments.of("emails[" + "(".repeat(60) + "type eq 1" + ")".repeat(60) + "]", "nested deeper than 50 levels"));
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void boundsDepthAndLengthWithoutStackOverflow(String filter, String detail) {
        assertThatThrownBy(() -> FilterParser.parse(filter))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType()).contains(ScimType.INVALID_FILTER))
                .hasMessageContaining(detail);
    }

    @Test
    void acceptsAFilterOfExactlyTheMaximumLength() {
        String filter = "a eq \"" + "x".repeat(FilterParser.MAX_LENGTH - 7) + "\"";
        assertThat(filter).hasSize(FilterParser.MAX_LENGTH);
        assertThat(FilterParser.parse(filter)).isInstanceOf(Filter.Compare.class);
    }
}
