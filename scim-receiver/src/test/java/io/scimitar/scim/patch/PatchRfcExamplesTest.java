package io.scimitar.scim.patch;

import static io.scimitar.scim.patch.PatchFixtures.GROUP;
import static io.scimitar.scim.patch.PatchFixtures.USER;
import static io.scimitar.scim.patch.PatchFixtures.json;
import static io.scimitar.scim.patch.PatchFixtures.patch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.scimitar.scim.schema.ResourceType;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example of RFC 7644 §3.5.2 (and its sub-sections), with the resource or member change it must produce. */
class PatchRfcExamplesTest {

    private static final String BABS = "2819c223-7f76-453a-919d-413861904646";
    private static final String JAMES = "08e1d05d-121c-4561-8b96-473d93df9210";

    /** A user with the addresses of RFC 7643 §8.2, for the §3.5.2.3 address examples. */
    private static final String USER_WITH_ADDRESSES = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
             "addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood",
                           "region":"CA","postalCode":"91608","country":"USA","primary":true},
                          {"type":"home","streetAddress":"456 Hollywood Blvd","locality":"Hollywood",
                           "region":"CA","postalCode":"91608","country":"USA"}]}""";

    static Stream<Arguments> userExamples() {
        return Stream.of(
                arguments("§3.5.2.1 add without a path: emails merge, nickname set", USER, """
                        [{"op":"add","value":{"emails":[{"value":"babs@jensen.org","type":"home"}],"nickname":"Babs"}}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen","nickName":"Babs",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                                   {"value":"babs@jensen.org","type":"home"}],"active":true}"""),
                arguments("§3.5.2.1 add without a path: a new email is appended", USER, """
                        [{"op":"add","value":{"emails":[{"value":"babs@example.net","type":"other"}],"nickname":"Babs"}}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen","nickName":"Babs",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                                   {"value":"babs@jensen.org","type":"home"},
                                   {"value":"babs@example.net","type":"other"}],"active":true}"""),
                arguments("§3.5.2.2 remove emails[type eq \"work\" and value ew \"example.com\"]", USER, """
                        [{"op":"remove","path":"emails[type eq \\"work\\" and value ew \\"example.com\\"]"}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},
                         "emails":[{"value":"babs@jensen.org","type":"home"}],"active":true}"""),
                arguments("§3.5.2.3 replace addresses[type eq \"work\"] with a whole address", USER_WITH_ADDRESSES, """
                        [{"op":"replace","path":"addresses[type eq \\"work\\"]","value":{
                           "type":"work","streetAddress":"911 Universal City Plaza","locality":"Hollywood","region":"CA",
                           "postalCode":"91608","country":"US","formatted":"911 Universal City Plaza\\nHollywood, CA 91608 US",
                           "primary":true}}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "addresses":[{"type":"work","streetAddress":"911 Universal City Plaza","locality":"Hollywood",
                           "region":"CA","postalCode":"91608","country":"US",
                           "formatted":"911 Universal City Plaza\\nHollywood, CA 91608 US","primary":true},
                          {"type":"home","streetAddress":"456 Hollywood Blvd","locality":"Hollywood",
                           "region":"CA","postalCode":"91608","country":"USA"}]}"""),
                arguments("§3.5.2.3 replace addresses[type eq \"work\"].streetAddress", USER_WITH_ADDRESSES, """
                        [{"op":"replace","path":"addresses[type eq \\"work\\"].streetAddress","value":"1234 Robin Road"}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "addresses":[{"type":"work","streetAddress":"1234 Robin Road","locality":"Hollywood",
                           "region":"CA","postalCode":"91608","country":"USA","primary":true},
                          {"type":"home","streetAddress":"456 Hollywood Blvd","locality":"Hollywood",
                           "region":"CA","postalCode":"91608","country":"USA"}]}"""),
                arguments("§3.5.2.3 replace without a path: emails replaced, nickname set, the rest kept", USER, """
                        [{"op":"replace","value":{"emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                          {"value":"babs@jensen.org","type":"home"}],"nickname":"Babs"}}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen","nickName":"Babs",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                                   {"value":"babs@jensen.org","type":"home"}],"active":true}"""),
                arguments("§3.5.2.3 replace without a path drops emails not in the value", USER, """
                        [{"op":"replace","value":{"emails":[{"value":"babs@jensen.org","type":"home"}]}}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},
                         "emails":[{"value":"babs@jensen.org","type":"home"}],"active":true}"""),
                arguments("§3.5.2 path name.familyName", USER, """
                        [{"op":"replace","path":"name.familyName","value":"Jensen-Smith"}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "name":{"familyName":"Jensen-Smith","givenName":"Barbara"},
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                                   {"value":"babs@jensen.org","type":"home"}],"active":true}"""),
                arguments("§3.5.2.1 add to a single-valued attribute replaces it", USER, """
                        [{"op":"add","path":"name.givenName","value":"Babs"}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "name":{"familyName":"Jensen","givenName":"Babs"},
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                                   {"value":"babs@jensen.org","type":"home"}],"active":true}"""),
                arguments("§3.5.2.1 add a value that already exists changes nothing", USER, """
                        [{"op":"add","path":"emails","value":[{"value":"babs@jensen.org","type":"home"}]}]""", USER),
                arguments("§3.5.2.1 add to a complex attribute merges sub-attributes", USER, """
                        [{"op":"add","path":"name","value":{"middleName":"J"}}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "name":{"familyName":"Jensen","givenName":"Barbara","middleName":"J"},
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                                   {"value":"babs@jensen.org","type":"home"}],"active":true}"""),
                arguments("§3.5.2.3 replace of a complex attribute leaves unnamed sub-attributes", USER, """
                        [{"op":"replace","path":"name","value":{"givenName":"Babs"}}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "name":{"familyName":"Jensen","givenName":"Babs"},
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                                   {"value":"babs@jensen.org","type":"home"}],"active":true}"""),
                arguments("§3.5.2.3 replace of an absent attribute is an add", USER, """
                        [{"op":"replace","path":"title","value":"Tour Guide"}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen","title":"Tour Guide",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                                   {"value":"babs@jensen.org","type":"home"}],"active":true}"""),
                arguments("§3.5.2.3 replace of a multi-valued attribute without a filter replaces the set", USER, """
                        [{"op":"replace","path":"emails","value":[{"value":"b@x.org","type":"other"}]}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},
                         "emails":[{"value":"b@x.org","type":"other"}],"active":true}"""),
                arguments("§3.5.2.2 remove of a single-valued attribute unassigns it", USER, """
                        [{"op":"remove","path":"active"}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                                   {"value":"babs@jensen.org","type":"home"}]}"""),
                arguments("§3.5.2.2 remove of a multi-valued attribute without a filter removes all values", USER, """
                        [{"op":"remove","path":"emails"}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},"active":true}"""),
                arguments("§3.5.2.2 removing the last matching value leaves the attribute unassigned", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "emails":[{"value":"bjensen@example.com","type":"work"}]}""", """
                        [{"op":"remove","path":"emails[type eq \\"work\\"]"}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen"}"""),
                arguments("§3.5.2.2 remove a sub-attribute of the matching values", USER, """
                        [{"op":"remove","path":"emails[type eq \\"work\\"].primary"}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},
                         "emails":[{"value":"bjensen@example.com","type":"work"},
                                   {"value":"babs@jensen.org","type":"home"}],"active":true}"""),
                arguments("§3.5.2.2 remove with a filter that matches nothing changes nothing", USER, """
                        [{"op":"remove","path":"emails[type eq \\"fax\\"]"}]""", USER),
                arguments("§3.5.2 setting primary on one value clears it on the others", USER, """
                        [{"op":"replace","path":"emails[type eq \\"home\\"].primary","value":true}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":false},
                                   {"value":"babs@jensen.org","type":"home","primary":true}],"active":true}"""),
                arguments("§3.5.2 adding a primary value clears primary on the others", USER, """
                        [{"op":"add","path":"emails","value":[{"value":"new@x.org","type":"other","primary":true}]}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":false},
                                   {"value":"babs@jensen.org","type":"home"},
                                   {"value":"new@x.org","type":"other","primary":true}],"active":true}"""),
                arguments("§3.5.2 operations apply in order", USER, """
                        [{"op":"remove","path":"nickName"},{"op":"add","path":"userName","value":"Dave"},
                         {"op":"replace","path":"userName","value":"dave2"}]""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"dave2",
                         "name":{"familyName":"Jensen","givenName":"Barbara"},
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                                   {"value":"babs@jensen.org","type":"home"}],"active":true}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("userExamples")
    void userExample(String name, String before, String operations, String after) {
        PatchResult result = patch(ResourceType.USER, before, operations);

        assertThat(result.resource()).isEqualTo(json(after));
        assertThat(result.members()).isEqualTo(MemberDelta.NONE);
    }

    static Stream<Arguments> groupExamples() {
        String babs = "{\"display\":\"Babs Jensen\",\"$ref\":\"https://example.com/v2/Users/" + BABS + "\",\"value\":\"" + BABS + "\"}";
        String james = "{\"display\":\"James Smith\",\"$ref\":\"https://example.com/v2/Users/" + JAMES + "\",\"value\":\"" + JAMES + "\"}";
        return Stream.of(
                arguments("§3.5.2.1 add a member", "[{\"op\":\"add\",\"path\":\"members\",\"value\":[" + babs + "]}]",
                        new MemberDelta(false, Set.of(BABS), Set.of())),
                arguments("§3.5.2.2 remove all members", "[{\"op\":\"remove\",\"path\":\"members\"}]",
                        new MemberDelta(true, Set.of(), Set.of())),
                arguments("§3.5.2.2 remove one member",
                        "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + BABS + "\\\"]\"}]",
                        new MemberDelta(false, Set.of(), Set.of(BABS))),
                arguments("§3.5.2.2 remove all members, then add two",
                        "[{\"op\":\"remove\",\"path\":\"members\"},{\"op\":\"add\",\"path\":\"members\",\"value\":["
                                + babs + "," + james + "]}]",
                        new MemberDelta(true, Set.of(BABS, JAMES), Set.of())),
                arguments("§3.5.2.3 replace all members",
                        "[{\"op\":\"replace\",\"path\":\"members\",\"value\":[" + babs + "," + james + "]}]",
                        new MemberDelta(true, Set.of(BABS, JAMES), Set.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groupExamples")
    void groupExample(String name, String operations, MemberDelta expected) {
        PatchResult result = patch(ResourceType.GROUP, GROUP, operations);

        assertThat(result.members()).isEqualTo(expected);
        assertThat(result.resource()).isEqualTo(json(GROUP));
    }
}
