package io.scimitar.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.error.ScimType;
import io.scimitar.scim.schema.ResourceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which stored users and groups a filter selects; rows are {@code filter => ids}, "-" for none. */
class FilterEvaluatorTest {

    private static final FilterEvaluator USERS = new FilterEvaluator(ResourceType.USER);
    private static final FilterEvaluator GROUPS = new FilterEvaluator(ResourceType.GROUP);

    private static String select(FilterEvaluator evaluator, List<ObjectNode> resources, String filter) {
        Filter parsed = FilterParser.parse(filter);
        List<String> ids = resources.stream()
                .filter(r -> evaluator.matches(parsed, r))
                .map(r -> r.get("id").asText())
                .toList();
        return ids.isEmpty() ? "-" : String.join(" ", ids);
    }

    /** The RFC 7644 §3.4.2.2 examples against the fixtures. */
    static Stream<Arguments> rfcExamples() {
        return FilterParserTest.table("""
                userName Eq "bjensen" => bjensen
                name.familyName co "O'Malley" => pomalley
                userName sw "J" => jsmith
                urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J" => jsmith
                title pr => bjensen
                meta.lastModified gt "2011-05-13T04:42:34Z" => jsmith pomalley
                meta.lastModified ge "2011-05-13T04:42:34Z" => bjensen jsmith pomalley
                meta.lastModified lt "2011-05-13T04:42:34Z" => -
                meta.lastModified le "2011-05-13T04:42:34Z" => bjensen
                title pr and userType eq "Employee" => bjensen
                title pr or userType eq "Intern" => bjensen jsmith
                schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" => bjensen jsmith
                userType eq "Employee" and (emails co "example.com" or emails.value co "example.org") => bjensen
                userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org") => pomalley
                userType eq "Employee" and (emails.type eq "work") => bjensen
                userType eq "Employee" and emails[type eq "work" and value co "@example.com"] => bjensen
                emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"] => bjensen
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfcExamples")
    void selectsUsersForTheRfcExamples(String filter, String ids) {
        assertThat(select(USERS, FilterFixtures.USERS, filter)).isEqualTo(ids);
    }

    /** Strings: caseExact from the schema, unknown attributes case-insensitive, every operator. */
    static Stream<Arguments> strings() {
        return FilterParserTest.table("""
                userName eq "BJENSEN" => bjensen
                USERNAME eq "bjensen" => bjensen
                userName eq "jsmith" => jsmith
                userName ne "bjensen" => jsmith pomalley
                userName ew "SEN" => bjensen
                userName co "mal" => pomalley
                userName sw "" => bjensen jsmith pomalley
                userName gt "c" => jsmith pomalley
                userName lt "c" => bjensen
                userName ge "pomalley" => pomalley
                userName le "BJENSEN" => bjensen
                name.familyName co "o'malley" => pomalley
                NAME.GIVENNAME eq "barbara" => bjensen
                id eq "bjensen" => bjensen
                id eq "BJENSEN" => -
                externalId eq "BJENSEN-EXT" => -
                externalId eq bjensen-ext => bjensen
                externalId ne "x" => bjensen jsmith pomalley
                meta.resourceType eq "User" => bjensen jsmith pomalley
                meta.resourceType eq "user" => -
                customflag eq "yes" => jsmith
                CUSTOMFLAG co "E" => jsmith
                title eq "" => pomalley
                title eq "tour guide" => bjensen
                userName eq true => -
                userName eq 5 => -
                nickName eq null => jsmith pomalley
                nickName ne null => bjensen
                nickName co null => -
                not (userName eq "bjensen") => jsmith pomalley
                not (not (userName eq "bjensen")) => bjensen
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strings")
    void comparesStrings(String filter, String ids) {
        assertThat(select(USERS, FilterFixtures.USERS, filter)).isEqualTo(ids);
    }

    /** Booleans (including Entra's string "False"), numbers, and dateTimes as instants. */
    static Stream<Arguments> typed() {
        return FilterParserTest.table("""
                active eq true => bjensen
                active eq false => jsmith pomalley
                active eq FALSE => jsmith pomalley
                active ne true => jsmith pomalley
                active eq "false" => jsmith pomalley
                active eq "yes" => -
                active co "t" => -
                active pr => bjensen jsmith pomalley
                emails[primary eq true] => bjensen
                emails[primary eq "true"] => bjensen
                emails[primary ne true] => bjensen jsmith
                score gt 10 => jsmith
                score ge 17 => jsmith
                score lt 10 => -
                score eq 17.0 => jsmith
                score eq "17" => jsmith
                score ne 17 => bjensen pomalley
                score co "7" => -
                meta.lastModified eq "2011-05-13T06:42:34+02:00" => bjensen
                meta.lastModified eq "2011-05-13T04:42:34.000Z" => bjensen
                meta.lastModified lt "2011-05-13T04:42:34.5Z" => bjensen
                meta.lastModified le "2011-05-13T04:42:34.500Z" => bjensen pomalley
                meta.lastModified gt "2011-12-31T21:00:00Z" => jsmith
                meta.lastModified gt "2011-12-31T23:00:00Z" => -
                meta.lastModified ne "2011-05-13T04:42:34Z" => jsmith pomalley
                meta.created lt "2011-01-01T00:00:00Z" => bjensen
                meta.lastModified sw "2012" => jsmith
                meta.lastModified co "+02:00" => jsmith
                meta.lastModified pr => bjensen jsmith pomalley
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typed")
    void comparesByType(String filter, String ids) {
        assertThat(select(USERS, FilterFixtures.USERS, filter)).isEqualTo(ids);
    }

    /** Multi-valued and complex attributes, value paths and extension attributes. */
    static Stream<Arguments> structure() {
        return FilterParserTest.table("""
                emails co "JENSEN.ORG" => bjensen
                emails eq "babs@jensen.org" => bjensen
                emails.value ew ".org" => bjensen jsmith
                emails.type eq "home" => bjensen
                emails.type ne "home" => jsmith pomalley
                emails pr => bjensen jsmith
                emails.value pr => bjensen jsmith
                not (emails pr) => pomalley
                emails[type eq "home" and value co "@example.com"] => -
                emails.type eq "home" and emails.value co "@example.com" => bjensen
                emails[type eq "work"] => bjensen jsmith
                emails[not (type eq "work")] => bjensen
                emails[type eq "work"].value eq "bjensen@example.com" => bjensen
                emails[type eq "home"].value eq "bjensen@example.com" => -
                emails[type eq "work"].value co "example" => bjensen jsmith
                emails[value pr] => bjensen jsmith
                ims[type eq "xmpp"] => bjensen
                name[givenName eq "Barbara"] => bjensen
                name[givenName eq "barbara" and familyName sw "jen"] => bjensen
                name[givenName eq "Barbara" and familyName eq "O'Malley"] => -
                name pr => bjensen pomalley
                name.givenName pr => bjensen pomalley
                urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Tour Operations" => bjensen
                URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:DEPARTMENT eq "tour operations" => bjensen
                department eq "engineering" => jsmith
                urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d" => bjensen
                urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager[displayName eq "John Smith"] => bjensen
                manager.displayName sw "john" => bjensen
                manager pr => bjensen
                urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq 701984 => bjensen
                employeeNumber gt "5" => bjensen
                urn:ietf:params:scim:schemas:extension:enterprise:2.0:User pr => bjensen jsmith
                urn:ietf:params:scim:schemas:core:2.0:User:department pr => -
                urn:example:unknown:2.0:Thing:department pr => -
                urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "jensen" => bjensen
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structure")
    void followsStructure(String filter, String ids) {
        assertThat(select(USERS, FilterFixtures.USERS, filter)).isEqualTo(ids);
    }

    static Stream<Arguments> groups() {
        return FilterParserTest.table("""
                displayName eq "admins" => admins
                displayName sw "Tour" => tourguides
                members[value eq "bjensen"] => admins
                members[value eq "BJENSEN"] => -
                members.value eq "jsmith" => admins
                members eq "jsmith" => admins
                members[type eq "user"] => admins
                members[display co "babs"] => admins
                members pr => admins
                not (members pr) => tourguides
                members[value eq "bjensen"] and members[value eq "jsmith"] => admins
                members[value eq "bjensen" and value eq "jsmith"] => -
                meta.lastModified gt "2020-02-02T12:00:00Z" => tourguides
                urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "Admins" => admins
                """);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groups")
    void selectsGroups(String filter, String ids) {
        assertThat(select(GROUPS, FilterFixtures.GROUPS, filter)).isEqualTo(ids);
    }

    /** RFC 7644 §3.4.2.2: ordering booleans or binaries, or a dateTime that is not one, is a failed filter. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "meta.lastModified gt \"yesterday\"",
            "meta.lastModified eq \"2011-05-13\"",
            "meta.created eq 5",
            "active gt \"a\"",
            "active le \"true\"",
            "emails[primary lt \"x\"]",
            "x509Certificates.value gt \"a\"",
            "userName eq \"bjensen\" and meta.lastModified lt \"soon\""})
    void refusesFiltersTheSchemaCannotAnswer(String filter) {
        Filter parsed = FilterParser.parse(filter);
        assertThatThrownBy(() -> FilterFixtures.USERS.forEach(user -> USERS.matches(parsed, user)))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType()).contains(ScimType.INVALID_FILTER));
        assertThatThrownBy(() -> USERS.validate(parsed))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType()).contains(ScimType.INVALID_FILTER));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
            "userName gt \"a\"",
            "score gt 1",
            "customFlag gt \"a\"",
            "emails[primary eq true] and active eq false",
            "meta.lastModified co \"2011\""})
    void validatesFiltersTheSchemaCanAnswer(String filter) {
        Filter parsed = FilterParser.parse(filter);
        USERS.validate(parsed);
        assertThat(FilterFixtures.USERS.stream().filter(u -> USERS.matches(parsed, u)).count()).isBetween(0L, 3L);
    }

    /** How the PATCH engine asks about one element of a multi-valued attribute ("members" of a Group). */
    static Stream<Arguments> elements() {
        return Stream.of(
                Arguments.of("members", "value eq \"bjensen\"", "{\"value\":\"bjensen\"}", true),
                Arguments.of("members", "value eq \"BJENSEN\"", "{\"value\":\"bjensen\"}", false),
                Arguments.of("MEMBERS", "VALUE eq \"bjensen\"", "{\"Value\":\"bjensen\"}", true),
                Arguments.of("emails", "value eq \"A@Example.com\"", "{\"value\":\"a@example.com\"}", true),
                Arguments.of("emails", "type eq \"work\" and primary eq true",
                        "{\"value\":\"a@example.com\",\"type\":\"work\",\"primary\":true}", true),
                Arguments.of("emails", "type eq \"work\" and primary eq true",
                        "{\"value\":\"a@example.com\",\"type\":\"work\"}", false),
                Arguments.of("emails", "not (type eq \"work\")", "{\"type\":\"home\"}", true),
                Arguments.of("emails", "type eq \"work\" or type eq \"home\"", "{\"type\":\"other\"}", false),
                Arguments.of("emails", "display pr", "{\"display\":\"\"}", false),
                Arguments.of("emails", "type ne \"work\"", "{\"value\":\"x\"}", true),
                Arguments.of("addresses", "postalCode sw \"91\"", "{\"postalCode\":\"91608\"}", true),
                Arguments.of("roles", "value eq \"admin\"", "{\"value\":\"Admin\"}", true));
    }

    @ParameterizedTest(name = "{0}[{1}] on {2}")
    @MethodSource("elements")
    void matchesOneElement(String attribute, String filter, String element, boolean expected) {
        FilterEvaluator evaluator = attribute.equalsIgnoreCase("members") ? GROUPS : USERS;
        assertThat(evaluator.matchesElement(AttributePath.of(attribute), FilterParser.parse(filter),
                FilterFixtures.json(element))).isEqualTo(expected);
    }
}
