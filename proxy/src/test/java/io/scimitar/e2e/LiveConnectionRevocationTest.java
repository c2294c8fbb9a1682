package io.scimitar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.listen.WebSocketApp;
import io.scimitar.listen.WebSocketClient;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Revocation reaches open connections, through the whole sidecar as {@code scimitar proxy} wires
 * it: a WebSocket held by a user who is deactivated (or loses the group the route needs) through
 * the SCIM receiver is closed, while another user's stays open. The bound is generous; how fast
 * the registry closes a thousand connections is measured in {@code LiveConnectionsTest}.
 */
class LiveConnectionRevocationTest {

    private static WebSocketApp app;
    private static SidecarFixture stack;

    @BeforeAll
    static void start() {
        app = new WebSocketApp();
        stack = SidecarFixture.standard().with("SCIMITAR_UPSTREAM", "http://127.0.0.1:" + app.port()).start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        app.close();
    }

    @Test
    void aDeactivatedUsersWebSocketIsClosedAndAnotherUsersStaysOpen() throws Exception {
        String name = "ws-deactivated@example.com";
        String userId = engineer(name);
        try (var revoked = open(name);
                var other = open(SidecarFixture.GRACE)) {
            assertThat(revoked.echo("hello")).isEqualTo("hello");
            assertThat(other.echo("hello")).isEqualTo("hello");

            stack.scim().deactivate(userId);

            assertThat(revoked.ended().get(5, TimeUnit.SECONDS)).as("closed by the sidecar").isNotNull();
            assertThat(other.echo("still here")).isEqualTo("still here");
        }
    }

    @Test
    void losingTheGroupTheRouteNeedsClosesTheWebSocket() throws Exception {
        String name = "ws-moved@example.com";
        String userId = engineer(name);
        try (var client = open(name)) {
            assertThat(client.echo("hello")).isEqualTo("hello");

            stack.scim().removeMember(stack.groupId("eng"), userId);

            assertThat(client.ended().get(5, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void aChangeThatKeepsTheUserAllowedLeavesTheWebSocketOpen() throws Exception {
        String name = "ws-kept@example.com";
        String userId = engineer(name);
        try (var client = open(name)) {
            stack.scim().addMember(stack.groupId("platform-admins"), userId);
            stack.scim().removeMember(stack.groupId("platform-admins"), userId);

            assertThat(client.echo("after two changes")).isEqualTo("after two changes");
            assertThat(client.ended()).isNotDone();
        }
    }

    private static WebSocketClient open(String user) throws Exception {
        return WebSocketClient.open(stack.port(), "/api/chat", "Authorization", "Bearer " + stack.token(user));
    }

    private static String engineer(String name) {
        String userId = stack.scim().createUser(name, Optional.empty(), name, true);
        stack.scim().addMember(stack.groupId("eng"), userId);
        return userId;
    }
}
