package io.scimitar.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;

import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.error.ScimType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** PATCH paths (RFC 7644 §3.5.2) and the attribute paths of sortBy and attributes (§3.4.2.3, §3.9). */
class PatchPathParserTest {

    private static final String ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /** Rows of {@code path => attribute[filter] .sub}, paths rendered as {@code urn|attribute.sub}. */
    static Stream<Arguments> patchPaths() {
        return FilterParserTest.table("""
                members => members
                name.familyName => name.familyName
                userName => userName
                active => active
                members[value eq "2819c223-7f76-453a-919d-413861904646"] => members[(eq value "2819c223-7f76-453a-919d-413861904646")]
                emails[type eq "work"].value => emails[(eq type "work")] .value
                emails[type eq "work" and primary eq true].display => emails[(and (eq type "work") (eq primary true))] .display
                addresses[type eq "work"].streetAddress => addresses[(eq type "work")] .streetAddress
                addresses[type eq "work"] => addresses[(eq type "work")]
                phoneNumbers[type eq "mobile" or type eq "work"] => phoneNumbers[(or (eq type "mobile") (eq type "work"))]
                members[value eq "a" or value eq "b"] => members[(or (eq value "a") (eq value "b"))]
                members[not (value eq "a")] => members[(not (eq value "a"))]
                members[value pr] => members[(pr value)]
                members[value eq a1b2] => members[(eq value "a1b2")]
                roles[primary eq True] => roles[(eq primary true)]
                EMAILS[TYPE EQ "work"].VALUE => EMAILS[(eq TYPE "work")] .VALUE
                  emails[type eq "work"].value   => emails[(eq type "work")] .value
                urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager => urn:ietf:params:scim:schemas:extension:enterprise:2.0:User|manager
                urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value => urn:ietf:params:scim:schemas:extension:enterprise:2.0:User|manager.value
                urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department => urn:ietf:params:scim:schemas:extension:enterprise:2.0:User|department
                urn:ietf:params:scim:schemas:core:2.0:User:name.givenName => urn:ietf:params:scim:schemas:core:2.0:User|name.givenName
                urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"].value => urn:ietf:params:scim:schemas:core:2.0:User|emails[(eq type "work")] .value
                # the bare extension URN splits at its last colon; the PATCH engine rejoins it
                urn:ietf:params:scim:schemas:extension:enterprise:2.0:User => urn:ietf:params:scim:schemas:extension:enterprise:2.0|User
                members.$ref => members.$ref
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patchPaths")
    void parsesPatchPaths(String path, String expected) {
        assertThat(FilterSexpr.of(FilterParser.parsePatchPath(path))).isEqualTo(expected);
    }

    @Test
    void keepsTheShapeThePatchEngineReads() {
        assertThat(FilterParser.parsePatchPath("emails[type eq \"work\"].value")).isEqualTo(new PatchPath(
                AttributePath.of("emails"),
                Optional.of(new Filter.Compare(AttributePath.of("type"), CompareOp.EQ,
                        com.fasterxml.jackson.databind.node.TextNode.valueOf("work"))),
                "value"));
        assertThat(FilterParser.parsePatchPath(ENT + ":manager.value"))
                .isEqualTo(new PatchPath(new AttributePath(ENT, "manager", "value"), Optional.empty(), ""));
        assertThat(FilterParser.parsePatchPath("name.familyName"))
                .isEqualTo(new PatchPath(AttributePath.of("name", "familyName"), Optional.empty(), ""));
    }

    static Stream<Arguments> badPatchPaths() {
        return FilterParserTest.table("""
                emails[type eq "work" => unexpected end of input at 22, expected ']'
                emails[type eq "work"]value => unexpected 'value' at 23, expected '.subAttribute' or the end
                emails[type eq "work"] .value => unexpected '.value' at 24
                emails[type eq "work"]. => invalid sub-attribute '.' at 23
                emails[type eq "work"].value.x => invalid sub-attribute '.value.x' at 23
                emails[type eq "work"][value eq "x"] => unexpected '[' at 23
                emails.value[type eq "work"] => must follow an attribute without sub-attribute
                emails[] => unexpected ']' at 8
                emails[type[value eq "x"]] => nested value filter at 12
                emails[type] => unexpected ']' at 12, expected an operator
                name.familyName.x => invalid attribute path 'name.familyName.x' at 1
                name. => invalid attribute path 'name.' at 1
                1name => invalid attribute path '1name' at 1
                name familyName => unexpected 'familyName' at 6, expected '[' or the end of the path
                "name" => unexpected '"name"' at 1, expected an attribute path
                (name) => unexpected '(' at 1, expected an attribute path
                emails[type eq "work") => unexpected ')' at 22
                urn: => invalid schema URN
                foo:bar => a schema URN starts with 'urn:'
                members[value eq "unterminated] => unterminated string starting at 18
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPatchPaths")
    void refusesBadPatchPathsAsInvalidPath(String path, String detail) {
        assertThatThrownBy(() -> FilterParser.parsePatchPath(path))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType()).contains(ScimType.INVALID_PATH))
                .hasMessageContaining(detail);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void refusesAnEmptyPatchPath(String path) {
        assertThatThrownBy(() -> FilterParser.parsePatchPath(path))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType()).contains(ScimType.INVALID_PATH))
                .hasMessage("empty path");
    }

    @Test
    void boundsPatchPathLength() {
        assertThatThrownBy(() -> FilterParser.parsePatchPath("a".repeat(9000)))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType()).contains(ScimType.INVALID_PATH))
                .hasMessageContaining("longer than 8192");
    }

    /** sortBy, attributes and excludedAttributes name attributes without filters. */
    static Stream<Arguments> attributePaths() {
        return Stream.of(
                Arguments.of("userName", new AttributePath("", "userName", "")),
                Arguments.of("name.givenName", new AttributePath("", "name", "givenName")),
                Arguments.of("meta.lastModified", new AttributePath("", "meta", "lastModified")),
                Arguments.of("emails.value", new AttributePath("", "emails", "value")),
                Arguments.of("members.$ref", new AttributePath("", "members", "$ref")),
                Arguments.of(" displayName ", new AttributePath("", "displayName", "")),
                Arguments.of(ENT + ":employeeNumber", new AttributePath(ENT, "employeeNumber", "")),
                Arguments.of(ENT + ":manager.displayName", new AttributePath(ENT, "manager", "displayName")),
                Arguments.of("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName",
                        new AttributePath("urn:ietf:params:scim:schemas:core:2.0:User", "name", "familyName")),
                Arguments.of(ENT, new AttributePath("urn:ietf:params:scim:schemas:extension:enterprise:2.0", "User", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributePaths")
    void parsesAttributePaths(String path, AttributePath expected) {
        assertThat(FilterParser.parseAttributePath(path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", " ", "name.", ".name", "name..givenName", "name.givenName.x", "1abc",
            "emails[type eq \"work\"]", "userName eq \"x\"", "a,b", "foo:bar", "urn:", "\"userName\"",
            "name givenName", "(userName)", "user*"})
    void refusesBadAttributePathsAsInvalidPath(String path) {
        assertThatThrownBy(() -> FilterParser.parseAttributePath(path))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType()).contains(ScimType.INVALID_PATH));
    }

    @Test
    void refusesANullAttributePath() {
        assertThatThrownBy(() -> FilterParser.parseAttributePath(null))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType()).contains(ScimType.INVALID_PATH))
                .hasMessage("empty attribute path");
    }
}
