package io.scimitar.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the store learns from a filter before it searches. */
class FilterAnalysisTest {

    static Stream<Arguments> references() {
        return FilterParserTest.table("""
                userName eq "x" => username
                UserName eq "x" and USERNAME pr => username
                name.givenName pr => name
                userName eq "x" and (Name.givenName pr or not (emails[type eq "work"])) => username name emails
                emails[type eq "work"].value eq "x" => emails
                urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "x" => department
                urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co "x" => name
                meta.lastModified gt "2011-05-13T04:42:34Z" or id eq "x" => meta id
                members[value eq "x"] => members
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void listsTopLevelAttributesLowerCased(String filter, String names) {
        assertThat(FilterAnalysis.referencedAttributes(FilterParser.parse(filter)))
                .containsExactlyElementsOf(Arrays.asList(names.split(" ")));
    }

    static Stream<Arguments> equalities() {
        return Stream.of(
                Arguments.of("userName eq \"bjensen\"", AttributePath.of("userName"), "bjensen"),
                Arguments.of("USERNAME EQ \"BJensen\"", AttributePath.of("USERNAME"), "BJensen"),
                Arguments.of("externalId eq jyoung", AttributePath.of("externalId"), "jyoung"),
                Arguments.of("id eq \"2819c223-7f76-453a-919d-413861904646\"", AttributePath.of("id"),
                        "2819c223-7f76-453a-919d-413861904646"),
                Arguments.of("displayName eq \"Tour Guides\"", AttributePath.of("displayName"), "Tour Guides"),
                Arguments.of("(userName eq \"x\")", AttributePath.of("userName"), "x"),
                Arguments.of("userName eq \"\"", AttributePath.of("userName"), ""),
                Arguments.of("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"x\"",
                        new AttributePath("urn:ietf:params:scim:schemas:core:2.0:User", "userName", ""), "x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equalities")
    void findsASimpleEquality(String filter, AttributePath path, String value) {
        assertThat(FilterAnalysis.simpleEquality(FilterParser.parse(filter)))
                .contains(new FilterAnalysis.Equality(path, value));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "userName ne \"x\"",
            "userName co \"x\"",
            "userName sw \"x\"",
            "userName pr",
            "externalId eq 12345",
            "active eq true",
            "nickName eq null",
            "name.givenName eq \"x\"",
            "userName eq \"x\" and active eq true",
            "userName eq \"x\" or userName eq \"y\"",
            "not (userName eq \"x\")",
            "emails[value eq \"x\"]",
            "emails[type eq \"work\"].value eq \"x\""})
    void findsNoEqualityInAnythingElse(String filter) {
        assertThat(FilterAnalysis.simpleEquality(FilterParser.parse(filter))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a pr", "a pr and b pr", "emails[type eq \"x\"]"})
    void referencesAreNeverEmpty(String filter) {
        List<String> names = List.copyOf(FilterAnalysis.referencedAttributes(FilterParser.parse(filter)));
        assertThat(names).isNotEmpty().allMatch(n -> n.equals(n.toLowerCase(java.util.Locale.ROOT)));
    }
}
