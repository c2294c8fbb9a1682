package io.scimitar.scim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of random and mutated POST and PATCH bodies (fixed seed, so a failure replays): the
 * receiver answers each with 2xx or 4xx, never 5xx, and the change log advances only on success.
 */
class GarbageInputTest {

    private static final long SEED = 0x5C1A_7A2L;
    private static final int ROUNDS = 400;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> NAMES = List.of("userName", "UserName", "name", "name.givenName", "emails",
            "emails[type eq \"work\"].value", "active", "members", "groups", "id", "meta", "schemas", "externalId",
            "displayName", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "value", "op", "path", "Operations",
            "members[value eq \"x\"]", "emails[", "]", "\u0000", "x.y.z", "$ref", "password", "");
    private static final List<String> OPS = List.of("add", "Add", "REPLACE", "replace", "remove", "Remove", "copy", "", "test");

    private static ReceiverFixture receiver;
    private static String userId;
    private static String groupId;

    @BeforeAll
    static void start() {
        receiver = ReceiverFixture.start();
        userId = receiver.send("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"fuzz@example.com",
                 "emails":[{"type":"work","value":"fuzz@example.com"}],"name":{"givenName":"F"}}""").at("/id").asText();
        groupId = receiver.send("POST", "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"fuzz",
                 "members":[{"value":"%s"}]}""".formatted(userId)).at("/id").asText();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void randomBodiesNeverCauseA5xxAndOnlySuccessMovesTheChangeLog() {
        Random random = new Random(SEED);
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String[] request = request(random);
            long before = receiver.directoryVersion();

            ReceiverFixture.Reply reply = receiver.send(request[0], request[1], request[2]);

            String label = "round " + round + ": " + request[0] + " " + request[1] + " " + request[2] + " -> " + reply;
            assertThat(reply.status()).as(label).isBetween(200, 499);
            if (reply.status() >= 300) {
                assertThat(reply.at("/schemas/0").asText()).as(label).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
                assertThat(receiver.directoryVersion()).as(label).isEqualTo(before);
            } else {
                accepted++;
                assertThat(receiver.directoryVersion()).as(label).isGreaterThanOrEqualTo(before);
            }
        }
        // The catalogue must exercise both paths, or it proves nothing about either.
        assertThat(accepted).isBetween(1, ROUNDS - 1);
    }

    private static String[] request(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> new String[] {"POST", "/Users", body(user(random), random)};
            case 1 -> new String[] {"POST", "/Groups", body(group(random), random)};
            case 2 -> new String[] {"PATCH", "/Users/" + userId, body(patch(random), random)};
            default -> new String[] {"PATCH", "/Groups/" + groupId, body(patch(random), random)};
        };
    }

    /** Usually valid JSON of a plausible shape; sometimes the same text cut, flipped or padded. */
    private static String body(JsonNode node, Random random) {
        String text = node.toString();
        return switch (random.nextInt(6)) {
            case 0 -> text.substring(0, random.nextInt(text.length() + 1));
            case 1 -> {
                char[] chars = text.toCharArray();
                chars[random.nextInt(chars.length)] = "{}[]\":,\\x0 ".charAt(random.nextInt(11));
                yield new String(chars);
            }
            case 2 -> "[".repeat(random.nextInt(60)) + text;
            default -> text;
        };
    }

    private static ObjectNode user(Random random) {
        ObjectNode user = Json.object();
        if (random.nextInt(4) > 0) {
            user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
        }
        user.set("userName", random.nextInt(5) == 0 ? value(random, 2) : NODES.textNode("u" + random.nextInt(50) + "@x.test"));
        for (int i = random.nextInt(4); i > 0; i--) {
            user.set(pick(NAMES, random), value(random, 3));
        }
        return user;
    }

    private static ObjectNode group(Random random) {
        ObjectNode group = Json.object();
        group.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
        group.set("displayName", random.nextInt(4) == 0 ? value(random, 2) : NODES.textNode("g" + random.nextInt(50)));
        if (random.nextBoolean()) {
            ArrayNode members = group.putArray("members");
            members.addObject().put("value", random.nextBoolean() ? userId : "missing-" + random.nextInt(3));
            if (random.nextBoolean()) {
                members.add(value(random, 2));
            }
        }
        return group;
    }

    private static ObjectNode patch(Random random) {
        ObjectNode patch = Json.object();
        if (random.nextInt(5) > 0) {
            patch.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
        }
        ArrayNode operations = patch.putArray(random.nextInt(6) == 0 ? "operations" : "Operations");
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            ObjectNode op = operations.addObject();
            op.put("op", pick(OPS, random));
            if (random.nextInt(3) > 0) {
                op.put("path", random.nextInt(4) == 0 ? pick(NAMES, random) + pick(NAMES, random) : pick(NAMES, random));
            }
            if (random.nextInt(4) > 0) {
                op.set("value", random.nextBoolean() ? value(random, 3) : Json.object().set(pick(NAMES, random), value(random, 2)));
            }
        }
        return patch;
    }

    private static JsonNode value(Random random, int depth) {
        int kind = depth <= 0 ? random.nextInt(6) : random.nextInt(8);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.textNode(pick(List.of("False", "true", "", "x", "2020-13-45T99:00:00Z", "\ud800", userId), random));
            case 3 -> NODES.numberNode(random.nextLong());
            case 4 -> NODES.numberNode(random.nextDouble() * 1e300);
            case 5 -> NODES.textNode("v".repeat(random.nextInt(300)));
            case 6 -> {
                ArrayNode array = Json.array();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(value(random, depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = Json.object();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(pick(NAMES, random), value(random, depth - 1));
                }
                yield object;
            }
        };
    }

    private static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }
}
