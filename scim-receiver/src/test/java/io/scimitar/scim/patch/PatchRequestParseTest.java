package io.scimitar.scim.patch;

import static io.scimitar.scim.patch.PatchFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.json.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading PatchOp messages: op spellings, paths and values, and every malformed shape with its scimType. */
class PatchRequestParseTest {

    private static final String SCHEMAS = "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]";

    static Stream<Arguments> accepted() {
        return Stream.of(
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"add\",\"path\":\"title\",\"value\":\"x\"}]}", PatchOperation.Op.ADD, true, true),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"Add\",\"value\":{\"title\":\"x\"}}]}", PatchOperation.Op.ADD, false, true),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"REMOVE\",\"path\":\"title\"}]}", PatchOperation.Op.REMOVE, true, false),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"value\":\"1\"}]}]}",
                        PatchOperation.Op.REMOVE, true, true),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}",
                        PatchOperation.Op.REPLACE, true, true),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"Replace\",\"value\":{\"active\":\"False\"}}]}",
                        PatchOperation.Op.REPLACE, false, true),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\" replace \",\"path\":\"\",\"value\":{\"a\":1}}]}",
                        PatchOperation.Op.REPLACE, false, true),
                arguments("{" + SCHEMAS + ",\"operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"x\"}]}",
                        PatchOperation.Op.REPLACE, true, true),
                arguments("{\"schemas\":[\"URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:PATCHOP\"],\"Operations\":[{\"op\":\"add\",\"path\":\"t\",\"value\":1}]}",
                        PatchOperation.Op.ADD, true, true),
                arguments("{\"schemas\":\"urn:ietf:params:scim:api:messages:2.0:PatchOp\",\"Operations\":[{\"op\":\"add\",\"path\":\"t\",\"value\":1}]}",
                        PatchOperation.Op.ADD, true, true),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"OP\":\"add\",\"PATH\":\"t\",\"VALUE\":1}]}", PatchOperation.Op.ADD, true, true),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"].value\",\"value\":\"x\"}]}",
                        PatchOperation.Op.REPLACE, true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(String body, PatchOperation.Op op, boolean hasPath, boolean hasValue) {
        List<PatchOperation> operations = PatchRequest.parse(json(body));

        assertThat(operations).singleElement().satisfies(o -> {
            assertThat(o.op()).isEqualTo(op);
            assertThat(o.path().isPresent()).isEqualTo(hasPath);
            assertThat(o.value().isPresent()).isEqualTo(hasValue);
        });
    }

    @Test
    void keepsTheOrderOfOperations() {
        List<PatchOperation> operations = PatchRequest.parse(json("{" + SCHEMAS + ",\"Operations\":["
                + "{\"op\":\"remove\",\"path\":\"a\"},{\"op\":\"add\",\"path\":\"b\",\"value\":1},{\"op\":\"replace\",\"path\":\"c\",\"value\":2}]}"));

        assertThat(operations).extracting(PatchOperation::op)
                .containsExactly(PatchOperation.Op.REMOVE, PatchOperation.Op.ADD, PatchOperation.Op.REPLACE);
        assertThat(operations.get(2).path().orElseThrow().attribute().attribute()).isEqualTo("c");
    }

    static Stream<Arguments> refused() {
        String ok = "[{\"op\":\"add\",\"path\":\"title\",\"value\":\"x\"}]";
        return Stream.of(
                arguments("[]", "invalidSyntax"),
                arguments("\"text\"", "invalidSyntax"),
                arguments("{\"Operations\":" + ok + "}", "invalidSyntax"),
                arguments("{\"schemas\":[],\"Operations\":" + ok + "}", "invalidSyntax"),
                arguments("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"Operations\":" + ok + "}", "invalidSyntax"),
                arguments("{\"schemas\":[7],\"Operations\":" + ok + "}", "invalidSyntax"),
                arguments("{\"schemas\":{\"a\":1},\"Operations\":" + ok + "}", "invalidSyntax"),
                arguments("{" + SCHEMAS + "}", "invalidSyntax"),
                arguments("{" + SCHEMAS + ",\"Operations\":[]}", "invalidSyntax"),
                arguments("{" + SCHEMAS + ",\"Operations\":{\"op\":\"add\"}}", "invalidSyntax"),
                arguments("{" + SCHEMAS + ",\"Operations\":null}", "invalidSyntax"),
                arguments("{" + SCHEMAS + ",\"Operations\":[\"add\"]}", "invalidSyntax"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"path\":\"title\",\"value\":\"x\"}]}", "invalidSyntax"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"delete\",\"path\":\"title\"}]}", "invalidSyntax"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"copy\",\"path\":\"title\",\"value\":\"x\"}]}", "invalidSyntax"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"move\",\"path\":\"title\",\"value\":\"x\"}]}", "invalidSyntax"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"\",\"path\":\"title\",\"value\":\"x\"}]}", "invalidSyntax"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":1,\"path\":\"title\",\"value\":\"x\"}]}", "invalidSyntax"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"add\",\"path\":\"title\",\"value\":\"x\"},{\"op\":\"test\"}]}", "invalidSyntax"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"remove\"}]}", "noTarget"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"remove\",\"path\":\"\"}]}", "noTarget"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"Remove\",\"value\":{\"title\":\"x\"}}]}", "noTarget"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"add\",\"path\":\"title\"}]}", "invalidValue"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":null}]}", "invalidValue"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"replace\"}]}", "invalidValue"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"add\",\"path\":7,\"value\":\"x\"}]}", "invalidPath"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"add\",\"path\":\"emails[type eq\",\"value\":\"x\"}]}", "invalidPath"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"add\",\"path\":\"emails[type eq \\\"w\\\"\",\"value\":\"x\"}]}", "invalidPath"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"add\",\"path\":\"1abc\",\"value\":\"x\"}]}", "invalidPath"),
                arguments("{" + SCHEMAS + ",\"Operations\":[{\"op\":\"remove\",\"path\":\"emails[type eq \\\"w\\\"]x\"}]}", "invalidPath"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("refused")
    void refuses(String body, String scimType) {
        assertThatThrownBy(() -> PatchRequest.parse(json(body)))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType().orElseThrow().wireName()).isEqualTo(scimType));
    }

    @Test
    void errorsNameTheOperation() {
        assertThatThrownBy(() -> PatchRequest.parse(json("{" + SCHEMAS + ",\"Operations\":["
                + "{\"op\":\"add\",\"path\":\"a\",\"value\":1},{\"op\":\"frobnicate\",\"path\":\"a\"}]}")))
                .hasMessageContaining("Operations[1]")
                .hasMessageContaining("frobnicate");
    }

    @Test
    void limitsTheNumberOfOperations() {
        var body = Json.object();
        body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
        var operations = body.putArray("Operations");
        for (int i = 0; i <= PatchRequest.MAX_OPERATIONS; i++) {
            operations.addObject().put("op", "add").put("path", "title").put("value", "x");
        }

        assertThatThrownBy(() -> PatchRequest.parse(body))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.scimType()).isEmpty();
                });
        operations.remove(0);
        assertThat(PatchRequest.parse(body)).hasSize(PatchRequest.MAX_OPERATIONS);
    }
}
