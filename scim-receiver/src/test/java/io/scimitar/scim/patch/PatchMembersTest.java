package io.scimitar.scim.patch;

import static io.scimitar.scim.patch.PatchFixtures.GROUP;
import static io.scimitar.scim.patch.PatchFixtures.members;
import static io.scimitar.scim.patch.PatchFixtures.patch;
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

/** Member operations become a MemberDelta whose net effect matches applying the operations in order. */
class PatchMembersTest {

    /** The group currently holds u1 (Alice), u2 (Bob) and g1 (a nested group). */
    private static final MemberSource CURRENT = members("u1:User:Alice", "u2:User:Bob", "g1:Group:Engineering");

    private static String add(String... ids) {
        return "{\"op\":\"add\",\"path\":\"members\",\"value\":[" + elements(ids) + "]}";
    }

    private static String replace(String... ids) {
        return "{\"op\":\"replace\",\"path\":\"members\",\"value\":[" + elements(ids) + "]}";
    }

    private static String removeFilter(String filter) {
        return "{\"op\":\"remove\",\"path\":\"members[" + filter.replace("\"", "\\\"") + "]\"}";
    }

    private static String elements(String... ids) {
        return String.join(",", Stream.of(ids).map(id -> "{\"value\":\"" + id + "\",\"display\":\"" + id.toUpperCase() + "\"}").toList());
    }

    private static final String REMOVE_ALL = "{\"op\":\"remove\",\"path\":\"members\"}";

    static Stream<Arguments> compositions() {
        return Stream.of(
                arguments("add one", new String[] {add("x")}, false, Set.of("x"), Set.of()),
                arguments("add twice collapses", new String[] {add("x", "x"), add("x")}, false, Set.of("x"), Set.of()),
                arguments("add then remove: not added, removed", new String[] {add("x"), removeFilter("value eq \"x\"")},
                        false, Set.of(), Set.of("x")),
                arguments("remove then add: added", new String[] {removeFilter("value eq \"x\""), add("x")},
                        false, Set.of("x"), Set.of()),
                arguments("add an existing member", new String[] {add("u1")}, false, Set.of("u1"), Set.of()),
                arguments("remove or-chain of value eq", new String[] {removeFilter("value eq \"u1\" or value eq \"u2\"")},
                        false, Set.of(), Set.of("u1", "u2")),
                arguments("remove by type reads the members", new String[] {removeFilter("type eq \"Group\"")},
                        false, Set.of(), Set.of("g1")),
                arguments("remove by display reads the members", new String[] {removeFilter("display co \"li\"")},
                        false, Set.of(), Set.of("u1")),
                arguments("remove by display sees members added earlier", new String[] {add("xavier"), removeFilter("display sw \"XAV\"")},
                        false, Set.of(), Set.of("xavier")),
                arguments("remove by filter skips members removed earlier",
                        new String[] {removeFilter("value eq \"u1\""), removeFilter("type eq \"User\"")},
                        false, Set.of(), Set.of("u1", "u2")),
                arguments("remove by filter matching nobody", new String[] {removeFilter("display eq \"Nobody\"")},
                        false, Set.of(), Set.of()),
                arguments("replace", new String[] {replace("a", "b")}, true, Set.of("a", "b"), Set.of()),
                arguments("replace then add", new String[] {replace("a"), add("b")}, true, Set.of("a", "b"), Set.of()),
                arguments("replace then remove", new String[] {replace("a", "b"), removeFilter("value eq \"a\"")},
                        true, Set.of("b"), Set.of()),
                arguments("replace then remove by type ignores the old members",
                        new String[] {replace("a"), removeFilter("type eq \"Group\"")}, true, Set.of("a"), Set.of()),
                arguments("remove some, then replace", new String[] {removeFilter("value eq \"u1\""), replace("c")},
                        true, Set.of("c"), Set.of()),
                arguments("remove all, then add", new String[] {REMOVE_ALL, add("a")}, true, Set.of("a"), Set.of()),
                arguments("add, then remove all", new String[] {add("a"), REMOVE_ALL}, true, Set.of(), Set.of()),
                arguments("replace with an empty list", new String[] {"{\"op\":\"replace\",\"path\":\"members\",\"value\":[]}"},
                        true, Set.of(), Set.of()),
                arguments("replace one member by filter",
                        new String[] {"{\"op\":\"replace\",\"path\":\"members[value eq \\\"u1\\\"]\",\"value\":{\"value\":\"u9\"}}"},
                        false, Set.of("u9"), Set.of("u1")),
                arguments("remove with an empty value list changes nothing",
                        new String[] {"{\"op\":\"remove\",\"path\":\"members\",\"value\":[]}"}, false, Set.of(), Set.of()),
                arguments("many adds and removes",
                        new String[] {add("a", "b", "c"), removeFilter("value eq \"b\""), add("d"),
                                "{\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"value\":\"c\"},{\"value\":\"u2\"}]}"},
                        false, Set.of("a", "d"), Set.of("b", "c", "u2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compositions")
    void composes(String name, String[] operations, boolean replaceAll, Set<String> added, Set<String> removed) {
        PatchResult result = patch(ResourceType.GROUP, GROUP, "[" + String.join(",", operations) + "]", CURRENT);

        assertThat(result.members()).isEqualTo(new MemberDelta(replaceAll, added, removed));
        assertThat(result.resource().has("members")).isFalse();
    }

    @Test
    void valueEqualityNeverReadsTheMemberList() {
        MemberSource refusing = () -> {
            throw new AssertionError("the member list was read");
        };

        PatchResult result = patch(ResourceType.GROUP, GROUP,
                "[" + add("a") + "," + removeFilter("value eq \"b\" or value eq \"c\"") + "," + REMOVE_ALL + "," + replace("d") + "]",
                refusing);

        assertThat(result.members()).isEqualTo(new MemberDelta(true, Set.of("d"), Set.of()));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("member without value", "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"display\":\"x\"}]}]", "invalidValue"),
                arguments("member value not a string", "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":7}]}]", "invalidValue"),
                arguments("member value blank", "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\" \"}]}]", "invalidValue"),
                arguments("member as a bare string", "[{\"op\":\"add\",\"path\":\"members\",\"value\":[\"u1\"]}]", "invalidValue"),
                arguments("replace members with a non-member element", "[{\"op\":\"replace\",\"path\":\"members\",\"value\":[1]}]", "invalidValue"),
                arguments("member display is read-only",
                        "[{\"op\":\"replace\",\"path\":\"members[value eq \\\"u1\\\"].display\",\"value\":\"x\"}]", "mutability"),
                arguments("member value is immutable",
                        "[{\"op\":\"remove\",\"path\":\"members[value eq \\\"u1\\\"].value\"}]", "mutability"),
                arguments("RFC example path members[...].displayName names no sub-attribute",
                        "[{\"op\":\"replace\",\"path\":\"members[value eq \\\"u1\\\"].displayName\",\"value\":\"x\"}]", "invalidPath"),
                arguments("add with a member filter", "[{\"op\":\"add\",\"path\":\"members[value eq \\\"u1\\\"]\",\"value\":[{\"value\":\"u1\"}]}]",
                        "invalidPath"),
                arguments("replace a member that is not there",
                        "[{\"op\":\"replace\",\"path\":\"members[value eq \\\"nobody\\\"]\",\"value\":{\"value\":\"x\"}}]", "noTarget"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(String name, String operations, String scimType) {
        assertThatThrownBy(() -> patch(ResourceType.GROUP, GROUP, operations, CURRENT))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType().orElseThrow().wireName()).isEqualTo(scimType));
    }

    @Test
    void usersHaveNoMembers() {
        assertThatThrownBy(() -> patch(ResourceType.USER, PatchFixtures.USER, "[" + add("x") + "]"))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType().orElseThrow().wireName()).isEqualTo("invalidPath"));
    }
}
