package io.scimitar.scim.patch;

import static io.scimitar.scim.patch.PatchFixtures.GROUP;
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

/** The PATCH shapes Microsoft Entra ID sends by default ("Known issues ... SCIM 2.0 protocol compliance"). */
class PatchEntraQuirksTest {

    private static final String U = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"ryan@contoso.com\"";
    private static final String BASE = U + ",\"active\":true}";
    private static final String EXT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String WITH_EXT = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\",\"" + EXT + "\"],"
            + "\"userName\":\"ryan@contoso.com\"";

    static Stream<Arguments> userQuirks() {
        return Stream.of(
                arguments("capitalised Replace, boolean as \"False\"", BASE,
                        "[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]", U + ",\"active\":false}"),
                arguments("path-less Replace {active:\"False\"}", BASE,
                        "[{\"op\":\"Replace\",\"value\":{\"active\":\"False\"}}]", U + ",\"active\":false}"),
                arguments("path-less Replace {active:\"True\"}", U + ",\"active\":false}",
                        "[{\"op\":\"Replace\",\"value\":{\"active\":\"True\"}}]", U + ",\"active\":true}"),
                arguments("upper-case TRUE", U + ",\"active\":false}",
                        "[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"TRUE\"}]", U + ",\"active\":true}"),
                arguments("op in capitals REPLACE", BASE,
                        "[{\"op\":\"REPLACE\",\"path\":\"active\",\"value\":false}]", U + ",\"active\":false}"),
                arguments("capitalised Add of a simple attribute", BASE,
                        "[{\"op\":\"Add\",\"path\":\"externalId\",\"value\":\"0a21f0f2-8d2a-4f8e\"}]",
                        U + ",\"active\":true,\"externalId\":\"0a21f0f2-8d2a-4f8e\"}"),
                arguments("dotted keys in a path-less replace", BASE,
                        "[{\"op\":\"Replace\",\"value\":{\"name.givenName\":\"Ryan\",\"name.familyName\":\"Leenay\"}}]",
                        U + ",\"active\":true,\"name\":{\"givenName\":\"Ryan\",\"familyName\":\"Leenay\"}}"),
                arguments("dotted key merges into an existing name", U + ",\"name\":{\"givenName\":\"R\",\"formatted\":\"R L\"}}",
                        "[{\"op\":\"Replace\",\"value\":{\"name.givenName\":\"Ryan\"}}]",
                        U + ",\"name\":{\"givenName\":\"Ryan\",\"formatted\":\"R L\"}}"),
                arguments("dotted keys in any case", BASE,
                        "[{\"op\":\"Add\",\"value\":{\"NAME.GIVENNAME\":\"Ryan\"}}]",
                        U + ",\"active\":true,\"name\":{\"givenName\":\"Ryan\"}}"),
                arguments("URN-qualified key in a path-less value", BASE,
                        "[{\"op\":\"Add\",\"value\":{\"" + EXT + ":department\":\"Tour Operations\"}}]",
                        WITH_EXT + ",\"active\":true,\"" + EXT + "\":{\"department\":\"Tour Operations\"}}"),
                arguments("URN-qualified path", BASE,
                        "[{\"op\":\"Add\",\"path\":\"" + EXT + ":employeeNumber\",\"value\":\"701984\"}]",
                        WITH_EXT + ",\"active\":true,\"" + EXT + "\":{\"employeeNumber\":\"701984\"}}"),
                arguments("manager as a bare id", BASE,
                        "[{\"op\":\"Add\",\"path\":\"" + EXT + ":manager\",\"value\":\"26118915-6090-4610-87a4-49d0767e9b8c\"}]",
                        WITH_EXT + ",\"active\":true,\"" + EXT + "\":{\"manager\":{\"value\":\"26118915-6090-4610-87a4-49d0767e9b8c\"}}}"),
                arguments("manager replaced", WITH_EXT + ",\"" + EXT + "\":{\"manager\":{\"value\":\"old\"}}}",
                        "[{\"op\":\"Replace\",\"path\":\"" + EXT + ":manager\",\"value\":\"new\"}]",
                        WITH_EXT + ",\"" + EXT + "\":{\"manager\":{\"value\":\"new\"}}}"),
                arguments("manager removed; the empty extension goes with it",
                        WITH_EXT + ",\"" + EXT + "\":{\"manager\":{\"value\":\"old\"}}}",
                        "[{\"op\":\"Remove\",\"path\":\"" + EXT + ":manager\",\"value\":\"old\"}]", U + "}"),
                arguments("Add emails[type eq \"work\"].value to a user with no work email", BASE,
                        "[{\"op\":\"Add\",\"path\":\"emails[type eq \\\"work\\\"].value\",\"value\":\"ryan@contoso.com\"}]",
                        U + ",\"active\":true,\"emails\":[{\"value\":\"ryan@contoso.com\",\"type\":\"work\"}]}"),
                arguments("Add phoneNumbers[type eq \"mobile\"].value creates the number", BASE,
                        "[{\"op\":\"Add\",\"path\":\"phoneNumbers[type eq \\\"mobile\\\"].value\",\"value\":\"+1 555 0100\"}]",
                        U + ",\"active\":true,\"phoneNumbers\":[{\"value\":\"+1 555 0100\",\"type\":\"mobile\"}]}"),
                arguments("Add addresses[type eq \"work\"].locality creates the address", BASE,
                        "[{\"op\":\"Add\",\"path\":\"addresses[type eq \\\"work\\\"].locality\",\"value\":\"Redmond\"}]",
                        U + ",\"active\":true,\"addresses\":[{\"locality\":\"Redmond\",\"type\":\"work\"}]}"),
                arguments("Replace emails[type eq \"work\"].value updates it",
                        U + ",\"emails\":[{\"value\":\"old@contoso.com\",\"type\":\"work\",\"primary\":true}]}",
                        "[{\"op\":\"Replace\",\"path\":\"emails[type eq \\\"work\\\"].value\",\"value\":\"new@contoso.com\"}]",
                        U + ",\"emails\":[{\"value\":\"new@contoso.com\",\"type\":\"work\",\"primary\":true}]}"),
                arguments("Add emails[type eq \"work\"].value overwrites an existing work email",
                        U + ",\"emails\":[{\"value\":\"old@contoso.com\",\"type\":\"work\"}]}",
                        "[{\"op\":\"Add\",\"path\":\"emails[type eq \\\"work\\\"].value\",\"value\":\"new@contoso.com\"}]",
                        U + ",\"emails\":[{\"value\":\"new@contoso.com\",\"type\":\"work\"}]}"),
                arguments("filter path as a key of a path-less value", BASE,
                        "[{\"op\":\"Add\",\"value\":{\"emails[type eq \\\"work\\\"].value\":\"r@contoso.com\",\"displayName\":\"Ryan\"}}]",
                        U + ",\"active\":true,\"displayName\":\"Ryan\",\"emails\":[{\"value\":\"r@contoso.com\",\"type\":\"work\"}]}"),
                arguments("Add primary as a string", U + ",\"emails\":[{\"value\":\"a@c.com\",\"type\":\"work\"}]}",
                        "[{\"op\":\"Add\",\"path\":\"emails[type eq \\\"work\\\"].primary\",\"value\":\"True\"}]",
                        U + ",\"emails\":[{\"value\":\"a@c.com\",\"type\":\"work\",\"primary\":true}]}"),
                arguments("several capitalised ops in one request (Entra's update)", BASE, """
                        [{"op":"Replace","path":"displayName","value":"Ryan Leenay"},
                         {"op":"Add","path":"title","value":"Manager"},
                         {"op":"Replace","path":"active","value":"False"},
                         {"op":"Remove","path":"title"}]""",
                        U + ",\"active\":false,\"displayName\":\"Ryan Leenay\"}"),
                arguments("userName changed", BASE,
                        "[{\"op\":\"Replace\",\"path\":\"userName\",\"value\":\"ryan.leenay@contoso.com\"}]",
                        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"ryan.leenay@contoso.com\",\"active\":true}"),
                arguments("extension attribute without its URN", BASE,
                        "[{\"op\":\"Add\",\"path\":\"department\",\"value\":\"Sales\"}]",
                        WITH_EXT + ",\"active\":true,\"" + EXT + "\":{\"department\":\"Sales\"}}"),
                arguments("the extension object as the path", BASE,
                        "[{\"op\":\"Add\",\"path\":\"" + EXT + "\",\"value\":{\"department\":\"Sales\",\"costCenter\":\"4130\"}}]",
                        WITH_EXT + ",\"active\":true,\"" + EXT + "\":{\"department\":\"Sales\",\"costCenter\":\"4130\"}}"),
                arguments("the extension object as a key of a path-less value", BASE,
                        "[{\"op\":\"Replace\",\"value\":{\"" + EXT + "\":{\"division\":\"West\"}}}]",
                        WITH_EXT + ",\"active\":true,\"" + EXT + "\":{\"division\":\"West\"}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("userQuirks")
    void userQuirk(String name, String before, String operations, String after) {
        PatchResult result = patch(ResourceType.USER, before, operations);

        assertThat(result.resource()).isEqualTo(json(after));
    }

    static Stream<Arguments> groupQuirks() {
        return Stream.of(
                arguments("Add members", "[{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"value\":\"u1\"}]}]",
                        new MemberDelta(false, Set.of("u1"), Set.of())),
                arguments("Remove members with a value removes only those members",
                        "[{\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"value\":\"u1\"}]}]",
                        new MemberDelta(false, Set.of(), Set.of("u1"))),
                arguments("Remove members with several values",
                        "[{\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"value\":\"u1\"},{\"value\":\"u2\"}]}]",
                        new MemberDelta(false, Set.of(), Set.of("u1", "u2"))),
                arguments("Remove members with a single object value",
                        "[{\"op\":\"Remove\",\"path\":\"members\",\"value\":{\"value\":\"u1\"}}]",
                        new MemberDelta(false, Set.of(), Set.of("u1"))),
                arguments("compliant remove by filter",
                        "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"u1\\\"]\"}]",
                        new MemberDelta(false, Set.of(), Set.of("u1"))),
                arguments("Add then Remove in one request",
                        "[{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"value\":\"u1\"}]},"
                                + "{\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"value\":\"u2\"}]}]",
                        new MemberDelta(false, Set.of("u1"), Set.of("u2"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groupQuirks")
    void groupQuirk(String name, String operations, MemberDelta expected) {
        PatchResult result = patch(ResourceType.GROUP, GROUP, operations);

        assertThat(result.members()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "display name replaced with op {0}")
    @MethodSource("opSpellings")
    void groupRenameInAnyOpCase(String op) {
        PatchResult result = patch(ResourceType.GROUP, GROUP,
                "[{\"op\":\"" + op + "\",\"path\":\"displayName\",\"value\":\"Guides\"}]");

        assertThat(result.resource().get("displayName").asText()).isEqualTo("Guides");
    }

    static Stream<String> opSpellings() {
        return Stream.of("replace", "Replace", "REPLACE", "rEpLaCe", "add", "Add", "ADD");
    }
}
