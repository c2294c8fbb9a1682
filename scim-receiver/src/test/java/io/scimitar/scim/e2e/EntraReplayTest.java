package io.scimitar.scim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Microsoft Entra ID's documented request sequences (the SCIM endpoint tutorial's User and Group
 * Operations, and the non-compliant PATCH shapes of the "known issues" page), replayed over raw
 * HTTP from e2e/entra-*.json, then the stored state each quirk must leave behind.
 */
class EntraReplayTest {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /** A fresh receiver per test: each replay starts from an empty directory. */
    @AutoClose
    private final ReceiverFixture receiver = ReceiverFixture.start();

    @TestFactory
    Stream<DynamicTest> userOperations() {
        return Replay.load("entra-users.json").steps(receiver);
    }

    @TestFactory
    Stream<DynamicTest> groupOperations() {
        return Replay.load("entra-groups.json").steps(receiver);
    }

    @TestFactory
    Stream<DynamicTest> nonCompliantPatchShapes() {
        return Replay.load("entra-quirks.json").steps(receiver);
    }

    private ObjectNode quirkyUser(Replay replay) {
        replay.runAll(receiver);
        return Replay.stored(receiver, "/Users/" + replay.captured("userId"));
    }

    @Test
    void stringFalseDeactivatesTheUser() {
        ObjectNode user = quirkyUser(Replay.load("entra-quirks.json"));

        assertThat(user.path("active").isBoolean()).as("active stored as a boolean: %s", user).isTrue();
        assertThat(user.path("active").booleanValue()).isFalse();
    }

    @Test
    void dottedKeysSetSubAttributesNotLiteralFields() {
        ObjectNode user = quirkyUser(Replay.load("entra-quirks.json"));

        assertThat(user.at("/name/givenName").asText()).isEqualTo("Gtfd");
        assertThat(user.at("/name/familyName").asText()).isEqualTo("Pkqf");
        assertThat(user.path("displayName").asText()).isEqualTo("Pvlo");
        assertThat(user.path("externalId").asText()).isEqualTo("Eqpj");
        assertThat(user.path(ENTERPRISE).path("employeeNumber").asText()).isEqualTo("Eqpj");
        assertThat(user.path("emails").findValuesAsText("value")).containsExactly("TestBcwqnm@test.microsoft.com");
        assertThat(user.properties()).extracting(java.util.Map.Entry::getKey)
                .noneMatch(k -> k.contains(".") && !k.startsWith("urn:") || k.contains("["));
    }

    @Test
    void capitalisedAddSetsTheAttributeAndBareManagerIdBecomesTheManagerValue() {
        Replay replay = Replay.load("entra-quirks.json");
        ObjectNode user = quirkyUser(replay);

        assertThat(user.path("nickName").asText()).isEqualTo("Babs");
        assertThat(user.path(ENTERPRISE).path("manager").path("value").asText()).isEqualTo(replay.captured("otherId"));
    }

    @Test
    void removeMembersWithAValueArrayRemovesOnlyThoseMembers() {
        Replay replay = Replay.load("entra-quirks.json");
        replay.runAll(receiver);

        ObjectNode group = Replay.stored(receiver, "/Groups/" + replay.captured("groupId"));
        assertThat(group.path("members").findValuesAsText("value")).containsExactly(replay.captured("otherId"));
    }

    @Test
    void createGroupWithTheAdscimSchemaUriIsAccepted() {
        ReceiverFixture.Reply created = receiver.send("POST", "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group",
                            "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                 "externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"adscim",
                 "meta":{"resourceType":"Group"}}""");

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        ObjectNode group = Replay.stored(receiver, "/Groups/" + created.at("/id").asText());
        assertThat(group.path("displayName").asText()).isEqualTo("adscim");
        assertThat(group.path("externalId").asText()).isEqualTo("8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
    }
}
