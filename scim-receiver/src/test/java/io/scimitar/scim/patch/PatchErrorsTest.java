package io.scimitar.scim.patch;

import static io.scimitar.scim.patch.PatchFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.schema.ResourceType;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A catalogue of bad PATCH requests and the scimType each must be refused with (RFC 7644 §3.12). */
class PatchErrorsTest {

    private static Arguments user(String operations, String scimType) {
        return arguments(ResourceType.USER, operations, scimType);
    }

    private static Arguments group(String operations, String scimType) {
        return arguments(ResourceType.GROUP, operations, scimType);
    }

    static Stream<Arguments> catalogue() {
        return Stream.of(
                user("[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"fax\\\"].value\",\"value\":\"x\"}]", "noTarget"),
                user("[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"fax\\\"]\",\"value\":{\"value\":\"x\"}}]", "noTarget"),
                user("[{\"op\":\"add\",\"path\":\"emails[value co \\\"zzz\\\"].type\",\"value\":\"work\"}]", "noTarget"),
                user("[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]", "mutability"),
                user("[{\"op\":\"remove\",\"path\":\"id\"}]", "mutability"),
                user("[{\"op\":\"remove\",\"path\":\"meta\"}]", "mutability"),
                user("[{\"op\":\"replace\",\"path\":\"meta.lastModified\",\"value\":\"2020-01-01T00:00:00Z\"}]", "mutability"),
                user("[{\"op\":\"add\",\"path\":\"groups\",\"value\":[{\"value\":\"g1\"}]}]", "mutability"),
                user("[{\"op\":\"replace\",\"path\":\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName\",\"value\":\"x\"}]",
                        "mutability"),
                user("[{\"op\":\"remove\",\"path\":\"userName\"}]", "invalidValue"),
                user("[{\"op\":\"replace\",\"path\":\"userName\",\"value\":\"  \"}]", "invalidValue"),
                user("[{\"op\":\"replace\",\"value\":{\"userName\":null}}]", "invalidValue"),
                user("[{\"op\":\"replace\",\"path\":\"userName\",\"value\":{\"a\":1}}]", "invalidValue"),
                user("[{\"op\":\"replace\",\"path\":\"userName\",\"value\":true}]", "invalidValue"),
                user("[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}]", "invalidValue"),
                user("[{\"op\":\"replace\",\"path\":\"active\",\"value\":1}]", "invalidValue"),
                user("[{\"op\":\"replace\",\"value\":{\"active\":\"yes\"}}]", "invalidValue"),
                user("[{\"op\":\"replace\",\"path\":\"name\",\"value\":\"Barbara\"}]", "invalidValue"),
                user("[{\"op\":\"replace\",\"path\":\"name\",\"value\":[1,2]}]", "invalidValue"),
                user("[{\"op\":\"add\",\"path\":\"emails\",\"value\":[5]}]", "invalidValue"),
                user("[{\"op\":\"add\",\"path\":\"emails\",\"value\":[{\"value\":\"a@x\",\"primary\":\"sometimes\"}]}]", "invalidValue"),
                user("[{\"op\":\"replace\",\"path\":\"emails\",\"value\":[{\"value\":\"a@x\",\"primary\":true},{\"value\":\"b@x\",\"primary\":true}]}]",
                        "invalidValue"),
                user("[{\"op\":\"add\",\"value\":[{\"userName\":\"x\"}]}]", "invalidValue"),
                user("[{\"op\":\"add\",\"value\":\"bjensen\"}]", "invalidValue"),
                user("[{\"op\":\"add\",\"path\":\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\",\"value\":\"x\"}]", "invalidValue"),
                user("[{\"op\":\"replace\",\"path\":\"bogus\",\"value\":\"x\"}]", "invalidPath"),
                user("[{\"op\":\"replace\",\"value\":{\"bogus\":\"x\"}}]", "invalidPath"),
                user("[{\"op\":\"replace\",\"path\":\"name.bogus\",\"value\":\"x\"}]", "invalidPath"),
                user("[{\"op\":\"replace\",\"path\":\"userName.first\",\"value\":\"x\"}]", "invalidPath"),
                user("[{\"op\":\"replace\",\"path\":\"name[givenName eq \\\"x\\\"]\",\"value\":{}}]", "invalidPath"),
                user("[{\"op\":\"replace\",\"path\":\"urn:example:unknown:2.0:User:badge\",\"value\":\"x\"}]", "invalidPath"),
                user("[{\"op\":\"replace\",\"path\":\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:bogus\",\"value\":\"x\"}]",
                        "invalidPath"),
                user("[{\"op\":\"add\",\"path\":\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\",\"value\":{\"bogus\":1}}]",
                        "invalidPath"),
                user("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"x\"}]}]", "invalidPath"),
                group("[{\"op\":\"remove\",\"path\":\"displayName\"}]", "invalidValue"),
                group("[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"\"}]", "invalidValue"),
                group("[{\"op\":\"replace\",\"path\":\"userName\",\"value\":\"x\"}]", "invalidPath"),
                group("[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"x\"}]", "mutability"));
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @MethodSource("catalogue")
    void refused(ResourceType type, String operations, String scimType) {
        String resource = type == ResourceType.USER ? PatchFixtures.USER : PatchFixtures.GROUP;

        assertThatThrownBy(() -> PatchFixtures.patch(type, resource, operations))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.scimType()).hasValueSatisfying(t -> assertThat(t.wireName()).isEqualTo(scimType));
                    assertThat(e.status()).isEqualTo(400);
                });
    }

    @Test
    void errorsNameTheOperationIndexAndPath() {
        assertThatThrownBy(() -> PatchFixtures.patch(ResourceType.USER, PatchFixtures.USER, """
                [{"op":"replace","path":"title","value":"x"},{"op":"replace","path":"active","value":"maybe"}]"""))
                .isInstanceOf(ScimException.class)
                .hasMessageContaining("operation 1")
                .hasMessageContaining("active");
    }

    @Test
    void aFailedOperationLeavesTheResourceUntouched() {
        ObjectNode resource = PatchFixtures.object(PatchFixtures.USER);
        var operations = PatchRequest.parse(PatchFixtures.body("""
                [{"op":"replace","path":"title","value":"x"},{"op":"remove","path":"emails"},
                 {"op":"replace","path":"id","value":"x"}]"""));

        assertThatThrownBy(() -> new PatchEngine(ResourceType.USER).apply(resource, operations, MemberSource.NONE))
                .isInstanceOf(ScimException.class);
        assertThat(resource).isEqualTo(json(PatchFixtures.USER));
    }

    @Test
    void aSuccessfulPatchLeavesItsInputUntouched() {
        ObjectNode resource = PatchFixtures.object(PatchFixtures.USER);

        new PatchEngine(ResourceType.USER).apply(resource, PatchRequest.parse(PatchFixtures.body("""
                [{"op":"remove","path":"emails[type eq \\"work\\"].value"},{"op":"replace","path":"name.givenName","value":"B"}]""")),
                MemberSource.NONE);

        assertThat(resource).isEqualTo(json(PatchFixtures.USER));
    }
}
