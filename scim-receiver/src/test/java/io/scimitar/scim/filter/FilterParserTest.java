package io.scimitar.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The filter grammar of RFC 7644 §3.4.2.2, asserted as exact trees. */
class FilterParserTest {

    private static final String ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";

    /** Rows of {@code filter => S-expression}; blank lines and '#' comments are skipped. */
    static Stream<Arguments> table(String rows) {
        return rows.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> {
                    int arrow = line.lastIndexOf(" => ");
                    return Arguments.of(line.substring(0, arrow).strip(), line.substring(arrow + 4).strip());
                });
    }

    /** Every example filter of RFC 7644 §3.4.2.2 (and its "Eq" case-insensitivity example). */
    static Stream<Arguments> rfcExamples() {
        return table("""
                userName Eq "john" => (eq userName "john")
                userName eq "bjensen" => (eq userName "bjensen")
                name.familyName co "O'Malley" => (co name.familyName "O'Malley")
                userName sw "J" => (sw userName "J")
                urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J" => (sw urn:ietf:params:scim:schemas:core:2.0:User|userName "J")
                title pr => (pr title)
                meta.lastModified gt "2011-05-13T04:42:34Z" => (gt meta.lastModified "2011-05-13T04:42:34Z")
                meta.lastModified ge "2011-05-13T04:42:34Z" => (ge meta.lastModified "2011-05-13T04:42:34Z")
                meta.lastModified lt "2011-05-13T04:42:34Z" => (lt meta.lastModified "2011-05-13T04:42:34Z")
                meta.lastModified le "2011-05-13T04:42:34Z" => (le meta.lastModified "2011-05-13T04:42:34Z")
                title pr and userType eq "Employee" => (and (pr title) (eq userType "Employee"))
                title pr or userType eq "Intern" => (or (pr title) (eq userType "Intern"))
                schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" => (eq schemas "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
                userType eq "Employee" and (emails co "example.com" or emails.value co "example.org") => (and (eq userType "Employee") (or (co emails "example.com") (co emails.value "example.org")))
                userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org") => (and (ne userType "Employee") (not (or (co emails "example.com") (co emails.value "example.org"))))
                userType eq "Employee" and (emails.type eq "work") => (and (eq userType "Employee") (eq emails.type "work"))
                userType eq "Employee" and emails[type eq "work" and value co "@example.com"] => (and (eq userType "Employee") (vp emails (and (eq type "work") (co value "@example.com"))))
                emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"] => (or (vp emails (and (eq type "work") (co value "@example.com"))) (vp ims (and (eq type "xmpp") (co value "@foo.com"))))
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void parsesTheRfcExamples(String filter, String tree) {
        assertThat(FilterSexpr.of(FilterParser.parse(filter))).isEqualTo(tree);
    }

    /** Precedence (not > and > or), associativity and parentheses. */
    static Stream<Arguments> precedence() {
        return table("""
                a pr or b pr and c pr => (or (pr a) (and (pr b) (pr c)))
                a pr and b pr or c pr => (or (and (pr a) (pr b)) (pr c))
                a pr and b pr and c pr => (and (and (pr a) (pr b)) (pr c))
                a pr or b pr or c pr => (or (or (pr a) (pr b)) (pr c))
                (a pr or b pr) and c pr => (and (or (pr a) (pr b)) (pr c))
                a pr and (b pr or c pr) => (and (pr a) (or (pr b) (pr c)))
                not (a pr) and b pr => (and (not (pr a)) (pr b))
                not (a pr) or not (b pr) => (or (not (pr a)) (not (pr b)))
                not (not (a pr)) => (not (not (pr a)))
                not(a pr) => (not (pr a))
                ((((a pr)))) => (pr a)
                (a pr) => (pr a)
                a pr or b pr and c pr or d pr => (or (or (pr a) (and (pr b) (pr c))) (pr d))
                a pr and not (b pr or c pr) and d pr => (and (and (pr a) (not (or (pr b) (pr c)))) (pr d))
                (a eq 1)and(b eq 2) => (and (eq a 1) (eq b 2))
                a eq "x"or b eq "y" => (or (eq a "x") (eq b "y"))
                a pr AND b pr OR c pr => (or (and (pr a) (pr b)) (pr c))
                a pr And b pr Or c pr => (or (and (pr a) (pr b)) (pr c))
                NOT (a pr) => (not (pr a))
                Not (a pr) => (not (pr a))
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("precedence")
    void honoursPrecedenceAndParentheses(String filter, String tree) {
        assertThat(FilterSexpr.of(FilterParser.parse(filter))).isEqualTo(tree);
    }

    /** Operators in any case; attribute names keep the client's case. */
    static Stream<Arguments> operators() {
        return table("""
                userName eq "x" => (eq userName "x")
                userName EQ "x" => (eq userName "x")
                userName ne "x" => (ne userName "x")
                userName NE "x" => (ne userName "x")
                userName co "x" => (co userName "x")
                userName Co "x" => (co userName "x")
                userName sw "x" => (sw userName "x")
                userName SW "x" => (sw userName "x")
                userName ew "x" => (ew userName "x")
                userName eW "x" => (ew userName "x")
                age gt 1 => (gt age 1)
                age GT 1 => (gt age 1)
                age ge 1 => (ge age 1)
                age Ge 1 => (ge age 1)
                age lt 1 => (lt age 1)
                age LT 1 => (lt age 1)
                age le 1 => (le age 1)
                age lE 1 => (le age 1)
                title pr => (pr title)
                title PR => (pr title)
                title Pr => (pr title)
                USERNAME eq "x" => (eq USERNAME "x")
                username eq "x" => (eq username "x")
                NAME.FAMILYNAME eq "x" => (eq NAME.FAMILYNAME "x")
                  userName   eq   "x"   => (eq userName "x")
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void readsOperatorsInAnyCase(String filter, String tree) {
        assertThat(FilterSexpr.of(FilterParser.parse(filter))).isEqualTo(tree);
    }

    /** Attribute paths: sub-attributes, URN-qualified names, $ref and name characters. */
    static Stream<Arguments> paths() {
        return table("""
                name.givenName eq "B" => (eq name.givenName "B")
                urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984" => (eq urn:ietf:params:scim:schemas:extension:enterprise:2.0:User|employeeNumber "701984")
                urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "B" => (eq urn:ietf:params:scim:schemas:core:2.0:User|name.givenName "B")
                urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915" => (eq urn:ietf:params:scim:schemas:extension:enterprise:2.0:User|manager.value "26118915")
                URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:department eq "x" => (eq URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER|department "x")
                members.$ref pr => (pr members.$ref)
                groups.$ref co "Groups" => (co groups.$ref "Groups")
                $ref pr => (pr $ref)
                x509Certificates.value pr => (pr x509Certificates.value)
                my-attr eq "x" => (eq my-attr "x")
                my_attr eq "x" => (eq my_attr "x")
                a1 eq "x" => (eq a1 "x")
                meta.resourceType eq "User" => (eq meta.resourceType "User")
                urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "Admins" => (eq urn:ietf:params:scim:schemas:core:2.0:Group|displayName "Admins")
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void readsAttributePaths(String filter, String tree) {
        assertThat(FilterSexpr.of(FilterParser.parse(filter))).isEqualTo(tree);
    }

    /** Value paths, including on single-valued complex attributes and with every inner form. */
    static Stream<Arguments> valuePaths() {
        return table("""
                emails[type eq "work"] => (vp emails (eq type "work"))
                emails[ type eq "work" ] => (vp emails (eq type "work"))
                emails [type eq "work"] => (vp emails (eq type "work"))
                emails[type eq "work" or type eq "home"] => (vp emails (or (eq type "work") (eq type "home")))
                emails[not (type eq "work")] => (vp emails (not (eq type "work")))
                emails[(type eq "work")] => (vp emails (eq type "work"))
                emails[primary eq true] => (vp emails (eq primary true))
                emails[value pr] => (vp emails (pr value))
                name[givenName eq "Barbara"] => (vp name (eq givenName "Barbara"))
                members[value eq "2819c223-7f76-453a-919d-413861904646"] => (vp members (eq value "2819c223-7f76-453a-919d-413861904646"))
                members[$ref co "/Users/"] => (vp members (co $ref "/Users/"))
                urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"] => (vp urn:ietf:params:scim:schemas:core:2.0:User|emails (eq type "work"))
                emails[type eq "work"] and not (emails[type eq "home"]) => (and (vp emails (eq type "work")) (not (vp emails (eq type "home"))))
                addresses[type eq "work" and postalCode sw "91"] => (vp addresses (and (eq type "work") (sw postalCode "91")))
                # Entra's uniqueness probe: the sub-attribute after ']' joins the bracket filter
                emails[type eq "work"].value eq "bjensen@example.com" => (vp emails (and (eq type "work") (eq value "bjensen@example.com")))
                emails[type eq "work"].value pr => (vp emails (and (eq type "work") (pr value)))
                emails[type eq "work" or primary eq true].value co "@example.com" => (vp emails (and (or (eq type "work") (eq primary true)) (co value "@example.com")))
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuePaths")
    void readsValuePaths(String filter, String tree) {
        assertThat(FilterSexpr.of(FilterParser.parse(filter))).isEqualTo(tree);
    }

    /** compValue: JSON strings with escapes, numbers, literals, and Entra's unquoted words. */
    static Stream<Arguments> values() {
        return table("""
                a eq "" => (eq a "")
                a eq "with space" => (eq a "with space")
                a eq "quote \\" inside" => (eq a "quote \\" inside")
                a eq "back\\\\slash" => (eq a "back\\\\slash")
                a eq "tab\\there" => (eq a "tab\\there")
                a eq "\\u00e9t\\u00e9" => (eq a "été")
                a eq "été" => (eq a "été")
                a eq "\\/slash" => (eq a "/slash")
                a eq "paren ) [ ] ( inside" => (eq a "paren ) [ ] ( inside")
                a eq "and or not" => (eq a "and or not")
                a eq 42 => (eq a 42)
                a eq -7 => (eq a -7)
                a eq 0 => (eq a 0)
                a eq 1.5 => (eq a 1.5)
                a eq -0.25 => (eq a -0.25)
                a eq true => (eq a true)
                a eq false => (eq a false)
                a eq TRUE => (eq a true)
                a eq False => (eq a false)
                a eq null => (eq a null)
                a ne null => (ne a null)
                a eq "true" => (eq a "true")
                a eq "42" => (eq a "42")
                externalId eq jyoung => (eq externalId "jyoung")
                userName eq jyoung@contoso.com => (eq userName "jyoung@contoso.com")
                externalId eq 00123 => (eq externalId "00123")
                externalId eq 1.2.3 => (eq externalId "1.2.3")
                externalId eq abc-def and active eq true => (and (eq externalId "abc-def") (eq active true))
                (externalId eq jyoung) => (eq externalId "jyoung")
                emails[value eq jyoung@contoso.com] => (vp emails (eq value "jyoung@contoso.com"))
                id eq 2819c223-7f76-453a-919d-413861904646 => (eq id "2819c223-7f76-453a-919d-413861904646")
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void readsValues(String filter, String tree) {
        assertThat(FilterSexpr.of(FilterParser.parse(filter))).isEqualTo(tree);
    }

    /** Numbers become the matching Jackson numeric node, so the evaluator compares them numerically. */
    static Stream<Arguments> numbers() {
        return Stream.of(
                Arguments.of("7", IntNode.valueOf(7)),
                Arguments.of("-2147483648", IntNode.valueOf(Integer.MIN_VALUE)),
                Arguments.of("2147483648", LongNode.valueOf(2147483648L)),
                Arguments.of("9223372036854775808", BigIntegerNode.valueOf(new BigInteger("9223372036854775808"))),
                Arguments.of("1.25", DecimalNode.valueOf(new BigDecimal("1.25"))),
                Arguments.of("1e3", DecimalNode.valueOf(new BigDecimal("1e3"))),
                Arguments.of("-2.5E-3", DecimalNode.valueOf(new BigDecimal("-2.5E-3"))),
                Arguments.of("true", BooleanNode.TRUE),
                Arguments.of("null", NullNode.getInstance()),
                Arguments.of("\"7\"", TextNode.valueOf("7")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numbers")
    void typesLiteralValues(String literal, JsonNode expected) {
        Filter.Compare compare = (Filter.Compare) FilterParser.parse("a eq " + literal);
        assertThat(compare.value()).isEqualTo(expected);
        assertThat(compare.value().getClass()).isEqualTo(expected.getClass());
    }

    /** The URN is everything up to the last ':' before the attribute name. */
    static Stream<Arguments> urnSplits() {
        return Stream.of(
                Arguments.of(ENT + ":employeeNumber pr", new AttributePath(ENT, "employeeNumber", "")),
                Arguments.of(ENT + ":manager.value pr", new AttributePath(ENT, "manager", "value")),
                Arguments.of(CORE + ":name.givenName pr", new AttributePath(CORE, "name", "givenName")),
                Arguments.of(CORE + ":userName pr", new AttributePath(CORE, "userName", "")),
                Arguments.of("name.givenName pr", new AttributePath("", "name", "givenName")),
                Arguments.of("userName pr", new AttributePath("", "userName", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urnSplits")
    void splitsUrnAttributeAndSubAttribute(String filter, AttributePath expected) {
        assertThat(((Filter.Present) FilterParser.parse(filter)).path()).isEqualTo(expected);
    }

    /** Fifty levels of nesting are fine; the limit is for attacks, not for real filters. */
    static Stream<Arguments> deepButAllowed() {
        return Stream.of(
                Arguments.of("(".repeat(50) + "a pr" + ")".repeat(50)),
                Arguments.of("not (".repeat(25) + "a pr" + ")".repeat(25)),
                Arguments.of("a pr and ".repeat(800) + "a pr"),
                Arguments.of("a pr or ".repeat(800) + "a pr"));
    }

    @ParameterizedTest
    @MethodSource("deepButAllowed")
    void acceptsDeepButBoundedFilters(String filter) {
        assertThat(FilterSexpr.of(FilterParser.parse(filter))).contains("(pr a)");
    }
}
