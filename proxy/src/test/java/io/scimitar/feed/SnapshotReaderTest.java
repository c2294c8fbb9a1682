package io.scimitar.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scimitar.index.DirectoryGroup;
import io.scimitar.index.DirectoryUser;
import io.scimitar.index.IndexBuilder;
import io.scimitar.index.MembershipIndex;
import io.scimitar.index.UserKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sidecar's reading of a snapshot body (docs/feed.md), line by line: a well-formed body becomes
 * exactly its directory whatever the order of fields in a line; anything else is refused whole
 * with a reason that names the line.
 */
class SnapshotReaderTest {

    private static final String START = "{\"type\":\"snapshot\",\"version\":7}";
    private static final String ENG = group("g-eng", "eng");
    private static final String OPS = group("g-ops", "ops");
    private static final String ADA = "{\"type\":\"user\",\"user\":" + user("u-ada", "ada", true) + ",\"groups\":[\"g-eng\",\"g-ops\"]}";
    private static final String END = end(7, 1, 2, 2);

    @Test
    void aSnapshotBecomesExactlyItsDirectory() throws IOException {
        MembershipIndex index = read(START, ENG, OPS, ADA,
                // fields in another order than the receiver writes them; an unknown field is ignored
                "{\"groups\":[\"g-eng\"],\"user\":" + user("u-bob", "bob", false) + ",\"note\":{\"x\":[1]},\"type\":\"user\"}",
                "{\"type\":\"user\",\"user\":" + user("u-eve", "eve", true) + ",\"groups\":[]}",
                "",
                end(7, 3, 2, 3));

        assertThat(index.version()).isEqualTo(7);
        assertThat(index.userCount()).isEqualTo(3);
        assertThat(groupsOf(index)).isEqualTo(Map.of("u-ada", "[eng, ops]", "u-bob", "[eng]", "u-eve", "[]"));
        assertThat(index.user("bob").map(DirectoryUser::active)).hasValue(false);
        Map<String, Integer> memberCounts = new TreeMap<>();
        index.forEachGroup(g -> memberCounts.put(g.displayName(), g.memberCount()));
        assertThat(memberCounts).isEqualTo(Map.of("eng", 2, "ops", 1));
    }

    @Test
    void aGroupIdNoGroupLineNamedIsSkippedButCounted() throws IOException {
        MembershipIndex index = read(START, ENG,
                "{\"type\":\"user\",\"user\":" + user("u-ada", "ada", true) + ",\"groups\":[\"g-eng\",\"g-gone\"]}",
                end(7, 1, 1, 2));

        assertThat(groupsOf(index)).isEqualTo(Map.of("u-ada", "[eng]"));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("nothing at all", new String[] {}, "ended after 0 lines without its \"end\" line"),
                Arguments.of("cut before its end", new String[] {START, ENG, OPS, ADA}, "ended after 4 lines"),
                Arguments.of("a user before the groups are done", new String[] {START, ADA, ENG, END}, "line 3: a \"group\" line out of order"),
                Arguments.of("a line before the snapshot line", new String[] {ENG, START, END}, "line 1: a \"group\" line before the \"snapshot\" line"),
                Arguments.of("two snapshot lines", new String[] {START, START, END}, "line 2: a \"snapshot\" line out of order"),
                Arguments.of("end before the snapshot line", new String[] {END}, "line 1: \"end\" before the \"snapshot\" line"),
                Arguments.of("counts that do not match", new String[] {START, ENG, OPS, ADA, end(7, 1, 2, 3)},
                        "says version 7, 1 users, 2 groups, 3 memberships; read version 7, 1 users, 2 groups, 2 memberships"),
                Arguments.of("another version at the end", new String[] {START, ENG, OPS, ADA, end(8, 1, 2, 2)}, "says version 8"),
                Arguments.of("a line after the end", new String[] {START, ENG, OPS, ADA, END, ENG}, "line 6 follows the snapshot's \"end\""),
                Arguments.of("a user without its groups", new String[] {START, "{\"type\":\"user\",\"user\":" + user("u-x", "x", true) + "}", END},
                        "line 2: \"groups\" must be an array of strings"),
                Arguments.of("groups that are not strings", new String[] {START, "{\"type\":\"user\",\"user\":" + user("u-x", "x", true)
                        + ",\"groups\":[{\"id\":\"g-eng\"}]}", END}, "line 2: \"groups\" must be an array of strings"),
                Arguments.of("a user without an id", new String[] {START, "{\"type\":\"user\",\"user\":{\"userName\":\"x\"},\"groups\":[]}", END},
                        "line 2: a user without an \"id\" cannot be indexed"),
                Arguments.of("a user that is not an object", new String[] {START, "{\"type\":\"user\",\"user\":\"ada\",\"groups\":[]}", END},
                        "line 2: \"user\" must be an object"),
                Arguments.of("an unknown line type", new String[] {START, "{\"type\":\"members\",\"groupId\":\"g\",\"members\":[]}", END},
                        "line 2: unexpected line type \"members\""),
                Arguments.of("a line that is not an object", new String[] {START, "[1,2]", END}, "line 2 is not a JSON object"),
                Arguments.of("two values on one line", new String[] {START, ENG + ENG, END}, "line 2 holds more than one JSON value"),
                Arguments.of("a duplicate key", new String[] {START, "{\"type\":\"group\",\"type\":\"user\"}", END}, "line 2 is not JSON: Duplicate field 'type'"),
                Arguments.of("garbage", new String[] {START, "{\"type\":\"group\",\"group\":", END}, "line 2 is not JSON"),
                Arguments.of("a version that is not a whole number", new String[] {"{\"type\":\"snapshot\",\"version\":-1}", END},
                        "line 1: \"version\" must be a whole number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aMalformedSnapshotIsRefusedWholeWithItsLine(String what, String[] lines, String reason) {
        assertThatThrownBy(() -> read(lines)).as(what).isInstanceOf(FeedProtocolException.class).hasMessageContaining(reason);
    }

    private static MembershipIndex read(String... lines) throws IOException {
        byte[] body = (String.join("\n", lines) + (lines.length == 0 ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
        return SnapshotReader.read(new ByteArrayInputStream(body), new IndexBuilder(UserKey.forAttribute("userName")));
    }

    /** Each user's id and the displayNames of its groups. */
    private static Map<String, String> groupsOf(MembershipIndex index) {
        Map<String, String> groups = new TreeMap<>();
        index.forEachUser(u -> {
            var names = new ArrayList<String>();
            for (int i = 0; i < u.groupCount(); i++) {
                names.add(index.group(u.groupOrdinal(i)).map(DirectoryGroup::displayName).orElseThrow());
            }
            names.sort(null);
            groups.put(u.id(), names.toString());
        });
        return groups;
    }

    private static String group(String id, String displayName) {
        return "{\"type\":\"group\",\"group\":{\"id\":\"" + id + "\",\"displayName\":\"" + displayName + "\"}}";
    }

    private static String user(String id, String userName, boolean active) {
        return "{\"id\":\"" + id + "\",\"userName\":\"" + userName + "\",\"active\":" + active + "}";
    }

    private static String end(long version, long users, long groups, long memberships) {
        return "{\"type\":\"end\",\"version\":" + version + ",\"users\":" + users + ",\"groups\":" + groups
                + ",\"memberships\":" + memberships + "}";
    }
}
