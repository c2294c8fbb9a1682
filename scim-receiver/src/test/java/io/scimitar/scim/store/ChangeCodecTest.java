package io.scimitar.scim.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The stable wire shape of changes: every event type survives a round trip, malformed input is refused. */
class ChangeCodecTest {

    private static final Instant AT = Instant.parse("2026-11-28T10:15:30.123Z");

    static Stream<ChangeEvent> everyEventType() {
        var user = Directory.object("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"alice",
                 "name":{"givenName":"Alice"},"emails":[{"value":"a@example.com","primary":true}],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"u2"}},
                 "meta":{"resourceType":"User","version":"W/\\"3\\""}}""");
        var inactive = user.deepCopy().put("active", false);
        var group = Directory.object("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Admins \\u00e9\\"x\\""}""");
        return Stream.of(
                new ChangeEvent.UserUpserted(user),
                new ChangeEvent.UserDeactivated(inactive),
                new ChangeEvent.UserDeleted("u1"),
                new ChangeEvent.GroupUpserted(group),
                new ChangeEvent.GroupDeleted("g1"),
                new ChangeEvent.MembersAdded("g1", List.of(new ChangeEvent.Member("u1", "User"),
                        new ChangeEvent.Member("g2", "Group"))),
                new ChangeEvent.MembersRemoved("g1", List.of(new ChangeEvent.Member("u1", "User"))),
                new ChangeEvent.MembersAdded("g1", List.of()));
    }

    @ParameterizedTest
    @MethodSource("everyEventType")
    void everyEventTypeRoundTrips(ChangeEvent event) {
        Change change = new Change(7, AT, List.of(event));
        assertThat(ChangeCodec.decode(ChangeCodec.encode(change))).isEqualTo(change);
        assertThat(ChangeCodec.decodeEvents(ChangeCodec.encodeEvents(List.of(event)))).containsExactly(event);
        assertThat(ChangeCodec.fromJson(ChangeCodec.toJson(change))).isEqualTo(change);
    }

    @Test
    void aChangeWithEveryEventTypeRoundTripsInOrder() {
        Change change = new Change(Long.MAX_VALUE, AT, everyEventType().toList());
        assertThat(ChangeCodec.decode(ChangeCodec.encode(change))).isEqualTo(change);
    }

    @Test
    void theWireShapeIsTheDocumentedOne() {
        Change change = new Change(7, AT, List.of(new ChangeEvent.UserDeleted("u1"),
                new ChangeEvent.MembersRemoved("g1", List.of(new ChangeEvent.Member("g2", "Group")))));
        assertThat(Directory.object(ChangeCodec.encode(change))).isEqualTo(Directory.object("""
                {"version":7,"committedAt":"2026-11-28T10:15:30.123Z","events":[
                 {"type":"userDeleted","userId":"u1"},
                 {"type":"membersRemoved","groupId":"g1","members":[{"id":"g2","type":"Group"}]}]}"""));
    }

    @Test
    void unknownFieldsAreIgnored() {
        Change decoded = ChangeCodec.decode("""
                {"version":1,"committedAt":"2026-11-28T10:15:30Z","future":true,
                 "events":[{"type":"groupDeleted","groupId":"g1","reason":"x"}]}""");
        assertThat(decoded).isEqualTo(new Change(1, Instant.parse("2026-11-28T10:15:30Z"),
                List.of(new ChangeEvent.GroupDeleted("g1"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "{",
        "not json",
        "[]",
        "42",
        "{}",
        "{\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[]}",
        "{\"version\":1,\"events\":[]}",
        "{\"version\":1,\"committedAt\":\"yesterday\",\"events\":[]}",
        "{\"version\":1,\"committedAt\":42,\"events\":[]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\"}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":{}}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{}]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[42]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{\"type\":\"userExploded\"}]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{\"type\":\"userUpserted\"}]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{\"type\":\"userUpserted\",\"user\":\"alice\"}]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{\"type\":\"userDeleted\",\"userId\":7}]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{\"type\":\"groupUpserted\",\"group\":[]}]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{\"type\":\"membersAdded\",\"groupId\":\"g\"}]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{\"type\":\"membersAdded\",\"groupId\":\"g\",\"members\":{}}]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{\"type\":\"membersRemoved\",\"groupId\":\"g\",\"members\":[{\"id\":\"u\"}]}]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{\"type\":\"membersRemoved\",\"groupId\":\"g\",\"members\":[\"u\"]}]}",
        "{\"version\":\"one\",\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[]}",
        "{\"version\":1.5,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[]}",
    })
    void malformedChangesAreRefusedAsIllegalArguments(String json) {
        assertThatThrownBy(() -> ChangeCodec.decode(json)).isInstanceOf(IllegalArgumentException.class);
    }
}
