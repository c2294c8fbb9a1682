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

    /** With a body: it waits unread with the request and reaches the app whole once the key is there. */
    @Test
    void theFirstTokenSignedWithANewlyPublishedKeyIsAllowed() throws Exception {
        RSAKey rotated = Tokens.rsa("rotated-key");
        STACK.idp().publish(List.of(STACK.rsaKey(), rotated));
        String token = Tokens.sign(rotated, STACK.claims(GRACE).build());

        var response = STACK.send("PUT /api/things HTTP/1.1\r\nHost: app\r\nAuthorization: Bearer " + token
                + "\r\nContent-Length: 11\r\n\r\nhello world");

        assertThat(response.status()).isEqualTo(200);
        var received = STACK.app().next();
        assertThat(received.header("x-scimitar-user")).isEqualTo(GRACE);
        assertThat(new String(received.body(), StandardCharsets.UTF_8)).isEqualTo("hello world");
    }

    @Test
    void aTokenWhoseKeyTheIdpNeverPublishedIsStillRefused() throws Exception {
        String token = Tokens.sign(Tokens.rsa("never-published"), STACK.claims(ADA).build());

        assertThat(STACK.get("/api/things", "Authorization: Bearer " + token).status()).isEqualTo(401);
        STACK.assertAppSawNothing();
    }
}
