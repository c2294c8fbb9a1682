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

/** The PATCH shapes of Okta's SCIM 2.0 guide: path-less activation, group renames carrying the read-only id, member pushes. */
class PatchOktaQuirksTest {

    private static final String U = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"test.user@okta.local\"";

    static Stream<Arguments> userQuirks() {
        return Stream.of(
                arguments("deactivate", U + ",\"active\":true}",
                        "[{\"op\":\"replace\",\"value\":{\"active\":false}}]", U + ",\"active\":false}"),
                arguments("reactivate", U + ",\"active\":false}",
                        "[{\"op\":\"replace\",\"value\":{\"active\":true}}]", U + ",\"active\":true}"),
                arguments("read-only id and meta in a path-less value are ignored", U + ",\"active\":true}",
                        "[{\"op\":\"replace\",\"value\":{\"id\":\"23a35c27\",\"meta\":{\"resourceType\":\"User\"},\"active\":false}}]",
                        U + ",\"active\":false}"),
                arguments("groups in a path-less value are ignored", U + "}",
                        "[{\"op\":\"replace\",\"value\":{\"groups\":[{\"value\":\"g1\"}],\"title\":\"Dev\"}}]",
                        U + ",\"title\":\"Dev\"}"),
                arguments("password in a path-less value is never stored", U + "}",
                        "[{\"op\":\"replace\",\"value\":{\"password\":\"t1meMa$heen\",\"nickName\":\"T\"}}]",
                        U + ",\"nickName\":\"T\"}"),
                arguments("schemas in a path-less value are ignored", U + "}",
                        "[{\"op\":\"replace\",\"value\":{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"locale\":\"en-US\"}}]",
                        U + ",\"locale\":\"en-US\"}"),
                arguments("a whole profile as a path-less replace", U + ",\"active\":true,\"title\":\"Old\"}", """
                        [{"op":"replace","value":{"id":"23a35c27","userName":"test.user@okta.local",
                          "name":{"givenName":"Test","familyName":"User"},
                          "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
                          "displayName":"Test User","active":true}}]""",
                        U + ",\"active\":true,\"title\":\"Old\",\"displayName\":\"Test User\","
                                + "\"name\":{\"givenName\":\"Test\",\"familyName\":\"User\"},"
                                + "\"emails\":[{\"value\":\"test.user@okta.local\",\"type\":\"work\",\"primary\":true}]}"),
                arguments("a custom extension in a path-less value is kept as sent", U + "}",
                        "[{\"op\":\"replace\",\"value\":{\"urn:okta:custom:1.0:User\":{\"badge\":\"A12\"}}}]",
                        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\",\"urn:okta:custom:1.0:User\"],"
                                + "\"userName\":\"test.user@okta.local\",\"urn:okta:custom:1.0:User\":{\"badge\":\"A12\"}}"),
                arguments("null in a path-less replace unassigns", U + ",\"title\":\"Dev\"}",
                        "[{\"op\":\"replace\",\"value\":{\"title\":null}}]", U + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("userQuirks")
    void userQuirk(String name, String before, String operations, String after) {
        assertThat(patch(ResourceType.USER, before, operations).resource()).isEqualTo(json(after));
    }

    static Stream<Arguments> groupQuirks() {
        String renamed = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Test Group Renamed\"}";
        return Stream.of(
                arguments("rename with id in the value", """
                        [{"op":"replace","value":{"id":"abf4dd94-a4c0-4f67-89c9-76b03340cb9b","displayName":"Test Group Renamed"}}]""",
                        renamed, MemberDelta.NONE),
                arguments("add members with display", """
                        [{"op":"add","path":"members","value":[{"value":"89bb1940-b905-4575-9e7f-6f887cfb368e","display":"test.user@okta.local"}]}]""",
                        GROUP, new MemberDelta(false, Set.of("89bb1940-b905-4575-9e7f-6f887cfb368e"), Set.of())),
                arguments("remove a member by filter", """
                        [{"op":"remove","path":"members[value eq \\"89bb1940-b905-4575-9e7f-6f887cfb368e\\"]"}]""",
                        GROUP, new MemberDelta(false, Set.of(), Set.of("89bb1940-b905-4575-9e7f-6f887cfb368e"))),
                arguments("push members as a replace", """
                        [{"op":"replace","path":"members","value":[{"value":"a","display":"A"},{"value":"b","display":"B"}]}]""",
                        GROUP, new MemberDelta(true, Set.of("a", "b"), Set.of())),
                arguments("push an empty member list clears the group", """
                        [{"op":"replace","path":"members","value":[]}]""",
                        GROUP, new MemberDelta(true, Set.of(), Set.of())),
                arguments("rename and push together", """
                        [{"op":"replace","value":{"id":"abf4","displayName":"Test Group Renamed"}},
                         {"op":"replace","path":"members","value":[{"value":"a"}]}]""",
                        renamed, new MemberDelta(true, Set.of("a"), Set.of())),
                arguments("path-less replace carrying members", """
                        [{"op":"replace","value":{"displayName":"Test Group Renamed","members":[{"value":"a"}]}}]""",
                        renamed, new MemberDelta(true, Set.of("a"), Set.of())),
                arguments("path-less add carrying members", """
                        [{"op":"add","value":{"members":[{"value":"a"},{"value":"b"}]}}]""",
                        GROUP, new MemberDelta(false, Set.of("a", "b"), Set.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groupQuirks")
    void groupQuirk(String name, String operations, String after, MemberDelta delta) {
        PatchResult result = patch(ResourceType.GROUP, GROUP, operations);

        assertThat(result.resource()).isEqualTo(json(after));
        assertThat(result.members()).isEqualTo(delta);
    }
}
