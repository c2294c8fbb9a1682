package io.scimitar.e2e;

import static io.scimitar.e2e.SidecarFixture.ADA;
import static io.scimitar.e2e.SidecarFixture.GRACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import io.scimitar.authn.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The IdP rotates its signing key: the first token signed with the new key names a {@code kid}
 * the sidecar has not fetched. That request waits for the refetch it starts and is then allowed,
 * instead of being refused for a key that was on its way.
 */
class KeyRotationTest {

    @RegisterExtension
    static final SidecarFixture STACK = SidecarFixture.standard();

    /**
     * With a body: it waits unread with the request and reaches the app whole once the key is there.
     * On a stack of its own: an unknown-kid refetch another test made in the last 30 s would
     * rate-limit this one's, whatever order JUnit runs them in.
     */
    @Test
    void theFirstTokenSignedWithANewlyPublishedKeyIsAllowed() throws Exception {
        try (SidecarFixture stack = SidecarFixture.standard().start()) {
            RSAKey rotated = Tokens.rsa("rotated-key");
            stack.idp().publish(List.of(stack.rsaKey(), rotated));
            String token = Tokens.sign(rotated, stack.claims(GRACE).build());

            var response = stack.send("PUT /api/things HTTP/1.1\r\nHost: app\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: 11\r\n\r\nhello world");

            assertThat(response.status()).isEqualTo(200);
            var received = stack.app().next();
            assertThat(received.header("x-scimitar-user")).isEqualTo(GRACE);
            assertThat(new String(received.body(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        }
    }

    @Test
    void aTokenWhoseKeyTheIdpNeverPublishedIsStillRefused() throws Exception {
        String token = Tokens.sign(Tokens.rsa("never-published"), STACK.claims(ADA).build());

        assertThat(STACK.get("/api/things", "Authorization: Bearer " + token).status()).isEqualTo(401);
        STACK.assertAppSawNothing();
    }
}
