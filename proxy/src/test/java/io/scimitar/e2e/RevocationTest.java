package io.scimitar.e2e;

import io.scimitar.testing.RawClient;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Revocation reaches the very next request. In the embedded mode the store's change log calls the
 * index on the committing thread, before the SCIM response is written, so no waiting is needed:
 * the request right after the SCIM call, with the same (already verified and cached) token and on
 * the same keep-alive connection, is denied.
 */
class RevocationTest {

    @RegisterExtension
    static final SidecarFixture STACK = SidecarFixture.standard();

    private static final AtomicInteger USERS = new AtomicInteger();

    /** A change made through SCIM to a fresh engineer: given the user's id and the eng group's id. */
    record Revocation(String name, BiConsumer<String, String> change) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Revocation> revocations() {
        return Stream.of(
                new Revocation("deactivated", (user, group) -> STACK.scim().deactivate(user)),
                new Revocation("deleted", (user, group) -> STACK.scim().deleteUser(user)),
                new Revocation("removed from the group", (user, group) -> STACK.scim().removeMember(group, user)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("revocations")
    void theNextRequestWithTheSameCachedTokenIsDenied(Revocation revocation) throws Exception {
        String name = "eng-" + USERS.incrementAndGet() + "@example.com";
        String userId = STACK.scim().createUser(name, Optional.empty(), name, true);
        STACK.scim().addMember(STACK.groupId("eng"), userId);
        var request = RawClient.get("/api/things", List.of(STACK.bearer(name)));
        STACK.app().forget();

        try (RawClient client = STACK.connect()) {
            assertThat(client.exchange(request).status()).isEqualTo(200);
            assertThat(client.exchange(request).status()).as("again, from the verified-token cache").isEqualTo(200);

            revocation.change().accept(userId, STACK.groupId("eng"));

            assertThat(client.exchange(request).status()).isEqualTo(403);
        }
        assertThat(STACK.app().next().header("x-scimitar-user")).isEqualTo(name);
        assertThat(STACK.app().next().header("x-scimitar-user")).isEqualTo(name);
        STACK.assertAppSawNothing();
    }

    @Test
    void addingToTheGroupAllowsTheNextRequest() throws Exception {
        String name = "newcomer@example.com";
        String userId = STACK.scim().createUser(name, name);
        var request = RawClient.get("/api/things", List.of(STACK.bearer(name)));

        try (RawClient client = STACK.connect()) {
            assertThat(client.exchange(request).status()).isEqualTo(403);

            STACK.scim().addMember(STACK.groupId("eng"), userId);

            assertThat(client.exchange(request).status()).isEqualTo(200);
        }
    }
}
