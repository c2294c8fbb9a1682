package io.scimitar.scim.patch;

import static io.scimitar.scim.patch.PatchFixtures.json;
import static io.scimitar.scim.patch.PatchFixtures.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.schema.ResourceType;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** POST/PUT bodies to canonical form, the refusals, and idempotence (it also runs on every PATCH result). */
class ResourceNormalizerTest {

    private static final String CORE = "\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"]";
    private static final String EXT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String BOTH = "\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\",\"" + EXT + "\"]";
    private static final String GROUP = "\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"]";

    static Stream<Arguments> canonical() {
        return Stream.of(
                arguments(ResourceType.USER, "minimal", "{" + CORE + ",\"userName\":\"b\"}", "{" + CORE + ",\"userName\":\"b\"}"),
                arguments(ResourceType.USER, "attribute names in schema case",
                        "{" + CORE + ",\"USERNAME\":\"b\",\"Emails\":[{\"Value\":\"b@x\",\"TYPE\":\"work\"}],\"name\":{\"GivenName\":\"B\"}}",
                        "{" + CORE + ",\"userName\":\"b\",\"emails\":[{\"value\":\"b@x\",\"type\":\"work\"}],\"name\":{\"givenName\":\"B\"}}"),
                arguments(ResourceType.USER, "string booleans", "{" + CORE + ",\"userName\":\"b\",\"active\":\"False\"}",
                        "{" + CORE + ",\"userName\":\"b\",\"active\":false}"),
                arguments(ResourceType.USER, "string booleans in sub-attributes",
                        "{" + CORE + ",\"userName\":\"b\",\"emails\":[{\"value\":\"b@x\",\"primary\":\"True\"}]}",
                        "{" + CORE + ",\"userName\":\"b\",\"emails\":[{\"value\":\"b@x\",\"primary\":true}]}"),
                arguments(ResourceType.USER, "read-only and password dropped", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","meta":{"resourceType":"User"},
                         "userName":"b","password":"secret","groups":[{"value":"g"}]}""",
                        "{" + CORE + ",\"userName\":\"b\"}"),
                arguments(ResourceType.USER, "nulls, empty arrays and empty objects dropped",
                        "{" + CORE + ",\"userName\":\"b\",\"title\":null,\"emails\":[],\"name\":{},\"phoneNumbers\":[null]}",
                        "{" + CORE + ",\"userName\":\"b\"}"),
                arguments(ResourceType.USER, "a single object where an array is expected is wrapped",
                        "{" + CORE + ",\"userName\":\"b\",\"emails\":{\"value\":\"b@x\"}}",
                        "{" + CORE + ",\"userName\":\"b\",\"emails\":[{\"value\":\"b@x\"}]}"),
                arguments(ResourceType.USER, "duplicate values collapse",
                        "{" + CORE + ",\"userName\":\"b\",\"emails\":[{\"value\":\"b@x\"},{\"VALUE\":\"b@x\"}]}",
                        "{" + CORE + ",\"userName\":\"b\",\"emails\":[{\"value\":\"b@x\"}]}"),
                arguments(ResourceType.USER, "unknown core attributes dropped",
                        "{" + CORE + ",\"userName\":\"b\",\"favouriteColour\":\"teal\"}", "{" + CORE + ",\"userName\":\"b\"}"),
                arguments(ResourceType.USER, "unknown sub-attributes dropped",
                        "{" + CORE + ",\"userName\":\"b\",\"name\":{\"givenName\":\"B\",\"nick\":\"x\"}}",
                        "{" + CORE + ",\"userName\":\"b\",\"name\":{\"givenName\":\"B\"}}"),
                arguments(ResourceType.USER, "numbers for strings are accepted",
                        "{" + BOTH + ",\"userName\":\"b\",\"" + EXT + "\":{\"employeeNumber\":701984}}",
                        "{" + BOTH + ",\"userName\":\"b\",\"" + EXT + "\":{\"employeeNumber\":\"701984\"}}"),
                arguments(ResourceType.USER, "the enterprise extension under its URN, listed in schemas", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"b",
                         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"Department":"Sales","manager":{"value":"m","displayName":"M"}}}""",
                        "{" + BOTH + ",\"userName\":\"b\",\"" + EXT + "\":{\"department\":\"Sales\",\"manager\":{\"value\":\"m\"}}}"),
                arguments(ResourceType.USER, "an empty extension object and its schema are dropped",
                        "{" + BOTH + ",\"userName\":\"b\",\"" + EXT + "\":{}}", "{" + CORE + ",\"userName\":\"b\"}"),
                arguments(ResourceType.USER, "URN-qualified attribute keys",
                        "{" + CORE + ",\"userName\":\"b\",\"" + EXT + ":costCenter\":\"4130\",\"urn:ietf:params:scim:schemas:core:2.0:User:title\":\"T\"}",
                        "{" + BOTH + ",\"userName\":\"b\",\"title\":\"T\",\"" + EXT + "\":{\"costCenter\":\"4130\"}}"),
                arguments(ResourceType.USER, "the extension URN in any case",
                        "{" + CORE + ",\"userName\":\"b\",\"" + EXT.toUpperCase() + "\":{\"division\":\"W\"}}",
                        "{" + BOTH + ",\"userName\":\"b\",\"" + EXT + "\":{\"division\":\"W\"}}"),
                arguments(ResourceType.USER, "unknown extensions kept as sent", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:example:params:scim:schemas:extension:Custom:2.0:User"],
                         "userName":"b","urn:example:params:scim:schemas:extension:Custom:2.0:User":{"Badge":{"No":7}}}""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:example:params:scim:schemas:extension:Custom:2.0:User"],
                         "userName":"b","urn:example:params:scim:schemas:extension:Custom:2.0:User":{"Badge":{"No":7}}}"""),
                arguments(ResourceType.USER, "schemas may omit the core schema and be a string",
                        "{\"schemas\":\"" + EXT + "\",\"userName\":\"b\"}", "{" + CORE + ",\"userName\":\"b\"}"),
                arguments(ResourceType.USER, "a complex value given as a bare id",
                        "{" + CORE + ",\"userName\":\"b\",\"" + EXT + "\":{\"manager\":\"m1\"}}",
                        "{" + BOTH + ",\"userName\":\"b\",\"" + EXT + "\":{\"manager\":{\"value\":\"m1\"}}}"),
                arguments(ResourceType.USER, "a full RFC 7643 §8.2-style user", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":"701984","userName":"bjensen@example.com",
                         "name":{"formatted":"Ms. Barbara J Jensen, III","familyName":"Jensen","givenName":"Barbara"},
                         "displayName":"Babs Jensen","nickName":"Babs","profileUrl":"https://login.example.com/bjensen",
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":true}],
                         "addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood","primary":true}],
                         "userType":"Employee","preferredLanguage":"en-US","locale":"en-US","timezone":"America/Los_Angeles","active":true,
                         "x509Certificates":[{"value":"MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw"}]}""", """
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":"701984","userName":"bjensen@example.com",
                         "name":{"formatted":"Ms. Barbara J Jensen, III","familyName":"Jensen","givenName":"Barbara"},
                         "displayName":"Babs Jensen","nickName":"Babs","profileUrl":"https://login.example.com/bjensen",
                         "emails":[{"value":"bjensen@example.com","type":"work","primary":true}],
                         "addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood","primary":true}],
                         "userType":"Employee","preferredLanguage":"en-US","locale":"en-US","timezone":"America/Los_Angeles","active":true,
                         "x509Certificates":[{"value":"MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw"}]}"""),
                arguments(ResourceType.GROUP, "group without members",
                        "{" + GROUP + ",\"displayName\":\"Admins\",\"externalId\":\"e1\"}",
                        "{" + GROUP + ",\"displayName\":\"Admins\",\"externalId\":\"e1\"}"),
                arguments(ResourceType.GROUP, "group members are dropped from the resource",
                        "{" + GROUP + ",\"DisplayName\":\"Admins\",\"members\":[{\"value\":\"u1\"}],\"id\":\"g\"}",
                        "{" + GROUP + ",\"displayName\":\"Admins\"}"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("canonical")
    void canonicalises(ResourceType type, String name, String input, String expected) {
        var normalizer = new ResourceNormalizer(type);

        var once = normalizer.normalize(object(input));

        assertThat(once).isEqualTo(json(expected));
        assertThat(once.get("schemas").get(0).asText()).isEqualTo(type.core().id());
        assertThat(normalizer.normalize(once.deepCopy())).as("idempotent").isEqualTo(once);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments(ResourceType.USER, "{\"userName\":\"b\"}", "invalidSyntax"),
                arguments(ResourceType.USER, "{\"schemas\":null,\"userName\":\"b\"}", "invalidSyntax"),
                arguments(ResourceType.USER, "{\"schemas\":[1],\"userName\":\"b\"}", "invalidSyntax"),
                arguments(ResourceType.USER, "{\"schemas\":{},\"userName\":\"b\"}", "invalidSyntax"),
                arguments(ResourceType.USER, "{" + GROUP + ",\"userName\":\"b\"}", "invalidSyntax"),
                arguments(ResourceType.USER, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"userName\":\"b\"}", "invalidSyntax"),
                arguments(ResourceType.GROUP, "{" + CORE + ",\"displayName\":\"g\"}", "invalidSyntax"),
                arguments(ResourceType.GROUP, "{\"schemas\":[\"" + EXT + "\"],\"displayName\":\"g\"}", "invalidSyntax"),
                arguments(ResourceType.USER, "{" + CORE + "}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":\"\"}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":\"   \"}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":null}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":[\"a\",\"b\"]}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":{\"a\":1}}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":true}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":\"b\",\"USERNAME\":\"c\"}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":\"b\",\"active\":\"nope\"}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":\"b\",\"active\":0}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":\"b\",\"name\":\"Barbara\"}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":\"b\",\"name\":{\"givenName\":{\"x\":1}}}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":\"b\",\"emails\":[\"b@x\",7]}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":\"b\",\"emails\":[[{\"value\":\"b@x\"}]]}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":\"b\",\"emails\":[{\"value\":\"a\",\"primary\":true},{\"value\":\"b\",\"primary\":true}]}",
                        "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":\"b\",\"" + EXT + "\":\"Sales\"}", "invalidValue"),
                arguments(ResourceType.USER, "{" + CORE + ",\"userName\":\"b\",\"" + EXT + "\":{\"department\":[1,2]}}", "invalidValue"),
                arguments(ResourceType.GROUP, "{" + GROUP + "}", "invalidValue"),
                arguments(ResourceType.GROUP, "{" + GROUP + ",\"displayName\":\"\"}", "invalidValue"),
                arguments(ResourceType.GROUP, "{" + GROUP + ",\"displayName\":true}", "invalidValue"));
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @MethodSource("refused")
    void refuses(ResourceType type, String input, String scimType) {
        assertThatThrownBy(() -> new ResourceNormalizer(type).normalize(object(input)))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType().orElseThrow().wireName()).isEqualTo(scimType));
    }

    static Stream<Arguments> memberLists() {
        return Stream.of(
                arguments("{" + GROUP + ",\"displayName\":\"g\"}", Set.of()),
                arguments("{" + GROUP + ",\"displayName\":\"g\",\"members\":null}", Set.of()),
                arguments("{" + GROUP + ",\"displayName\":\"g\",\"members\":[]}", Set.of()),
                arguments("{" + GROUP + ",\"displayName\":\"g\",\"members\":[{\"value\":\"u1\",\"display\":\"A\"},{\"value\":\"u2\",\"type\":\"User\"}]}",
                        Set.of("u1", "u2")),
                arguments("{" + GROUP + ",\"displayName\":\"g\",\"Members\":[{\"Value\":\"u1\"},{\"value\":\"u1\"}]}", Set.of("u1")),
                arguments("{" + GROUP + ",\"displayName\":\"g\",\"members\":{\"value\":\"u1\"}}", Set.of("u1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("memberLists")
    void readsMembers(String input, Set<String> ids) {
        assertThat(new ResourceNormalizer(ResourceType.GROUP).members(object(input))).isEqualTo(ids);
    }

    static Stream<String> badMemberLists() {
        return Stream.of("[{\"display\":\"A\"}]", "[{\"value\":1}]", "[{\"value\":\"\"}]", "[\"u1\"]", "[null]", "\"u1\"", "[{\"value\":null}]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMemberLists")
    void refusesBadMembers(String members) {
        var input = object("{" + GROUP + ",\"displayName\":\"g\",\"members\":" + members + "}");

        assertThatThrownBy(() -> new ResourceNormalizer(ResourceType.GROUP).members(input))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType().orElseThrow().wireName()).isEqualTo("invalidValue"));
    }

    @Test
    void usersHaveNoMembers() {
        assertThat(new ResourceNormalizer(ResourceType.USER).members(object("{" + CORE + ",\"userName\":\"b\",\"members\":[{\"value\":\"x\"}]}")))
                .isEmpty();
    }

    @Test
    void doesNotChangeItsInput() {
        var input = object("{" + CORE + ",\"id\":\"1\",\"USERNAME\":\"b\",\"active\":\"True\"}");
        var copy = input.deepCopy();

        new ResourceNormalizer(ResourceType.USER).normalize(input);

        assertThat(input).isEqualTo(copy);
    }
}
