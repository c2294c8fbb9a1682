package io.scimitar.scim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Okta's documented provisioning sequences, replayed over raw HTTP with Okta's headers and body
 * shapes (e2e/okta-*.json), then the stored state each Okta quirk must leave behind.
 */
class OktaReplayTest {

    /** A fresh receiver per test: each replay starts from an empty directory. */
    @AutoClose
    private final ReceiverFixture receiver = ReceiverFixture.start();

    @TestFactory
    Stream<DynamicTest> userProvisioning() {
        return Replay.load("okta-users.json").steps(receiver);
    }

    @TestFactory
    Stream<DynamicTest> groupPush() {
        return Replay.load("okta-groups.json").steps(receiver);
    }

    @Test
    void putWithTheReadOnlyIdReplacesTheProfileAndNeverStoresThePassword() {
        Replay replay = Replay.load("okta-users.json");
        replay.runAll(receiver);

        ObjectNode user = Replay.stored(receiver, "/Users/" + replay.captured("userId"));
        assertThat(user.path("id").asText()).isEqualTo(replay.captured("userId"));
        assertThat(user.at("/name/givenName").asText()).isEqualTo("Another");
        assertThat(user.has("password")).isFalse();
        assertThat(user.toString()).doesNotContain("1mz050nq");
        assertThat(receiver.send("GET", "/Users?filter=userName eq \"test.user@okta.local\"", null,
                java.util.Map.of()).body()).doesNotContain("1mz050nq");
    }

    @Test
    void pathlessReplaceOfActiveDeactivatesWithoutTouchingTheProfile() {
        Replay replay = Replay.load("okta-users.json");
        replay.runAll(receiver);
        String id = replay.captured("userId");

        receiver.send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"active":false}}]}""");

        ObjectNode user = Replay.stored(receiver, "/Users/" + id);
        assertThat(user.path("active").isBoolean()).isTrue();
        assertThat(user.path("active").booleanValue()).isFalse();
        assertThat(user.path("displayName").asText()).isEqualTo("Another User");
        assertThat(user.path("emails")).hasSize(1);
    }

    @Test
    void renameWithTheIdInTheValueKeepsTheIdAndTheMembers() {
        Replay replay = Replay.load("okta-groups.json");
        replay.runAll(receiver);
        String alice = replay.captured("aliceId");
        ObjectNode created = (ObjectNode) receiver.send("POST", "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Okta rename",
                 "members":[{"value":"%s"}]}""".formatted(alice)).json();
        String groupId = created.path("id").asText();

        ReceiverFixture.Reply renamed = receiver.send("PATCH", "/Groups/" + groupId, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"id":"%s","displayName":"Okta renamed"}}]}""".formatted(groupId));

        assertThat(renamed.status()).isIn(200, 204);
        ObjectNode group = Replay.stored(receiver, "/Groups/" + groupId);
        assertThat(group.path("id").asText()).isEqualTo(groupId);
        assertThat(group.path("displayName").asText()).isEqualTo("Okta renamed");
        assertThat(group.path("members").findValuesAsText("value")).containsExactly(alice);
    }

    @Test
    void removeByFilterTakesOneMemberAndReplaceWithEmptyListClears() {
        Replay replay = Replay.load("okta-groups.json");
        replay.runAll(receiver);
        String alice = replay.captured("aliceId");
        String bob = replay.captured("bobId");
        ObjectNode created = (ObjectNode) receiver.send("POST", "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Okta members",
                 "members":[{"value":"%s"},{"value":"%s"}]}""".formatted(alice, bob)).json();
        String groupId = created.path("id").asText();

        receiver.send("PATCH", "/Groups/" + groupId, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"remove","path":"members[value eq \\"%s\\"]"}]}""".formatted(alice));
        assertThat(Replay.stored(receiver, "/Groups/" + groupId).path("members").findValuesAsText("value"))
                .containsExactly(bob);

        receiver.send("PATCH", "/Groups/" + groupId, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"members","value":[]}]}""");
        assertThat(Replay.stored(receiver, "/Groups/" + groupId).path("members").size()).isZero();
        assertThat(Replay.stored(receiver, "/Users/" + bob).path("id").asText()).isEqualTo(bob);
    }
}
