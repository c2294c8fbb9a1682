package io.scimitar.e2e;

import static io.scimitar.e2e.SidecarFixture.ADA;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The token's user claim matched against each SCIM attribute the configuration can name: a stack
 * per attribute, the same directory, and a token that names ada by that attribute only. A value
 * of another attribute finds no one.
 */
class UserAttributeTest {

    @ParameterizedTest(name = "{1} matched against {0}")
    @CsvSource({
        "externalId, sub,   00u-ada,              ada@example.com",
        "emails,     email, ada.work@mail.example, ada@example.com",
        "userName,   upn,   ada@example.com,       00u-ada",
    })
    void theConfiguredClaimFindsTheUserByTheConfiguredAttribute(String attribute, String claim, String matching,
            String otherAttributesValue) throws Exception {
        try (var stack = SidecarFixture.standard().with("SCIMITAR_AUTH_USER_ATTRIBUTE", attribute)
                .with("SCIMITAR_AUTH_USER_CLAIM", claim).start()) {
            var allowed = stack.get("/api/things", stack.bearer(matching));
            var unknown = stack.get("/api/things", stack.bearer(otherAttributesValue));

            assertThat(allowed.status()).isEqualTo(200);
            var seen = stack.app().next();
            assertThat(seen.header("x-scimitar-user")).isEqualTo(ADA);
            assertThat(seen.header("x-scimitar-user-id")).isEqualTo(stack.userId(ADA));
            assertThat(unknown.status()).as("a value of another attribute names no one").isEqualTo(403);
            stack.assertAppSawNothing();
        }
    }
}
