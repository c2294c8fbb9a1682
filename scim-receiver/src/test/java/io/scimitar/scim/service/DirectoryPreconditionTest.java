package io.scimitar.scim.service;

import static io.scimitar.scim.store.Directory.scimError;
import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.store.Directory;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** If-Match on PUT, PATCH and DELETE (RFC 7644 §3.14): a stale tag is 412 and writes nothing. */
class DirectoryPreconditionTest {

    @TempDir
    Path dir;

    enum Write {
        PUT((d, id, ifMatch) -> d.service().replace(ResourceType.USER, id, Directory.object(
                "{\"schemas\":[\"" + Directory.USER_SCHEMA + "\"],\"userName\":\"alice\",\"displayName\":\"PUT\"}"),
                ifMatch, Projection.DEFAULT)),
        PATCH((d, id, ifMatch) -> d.service().patch(ResourceType.USER, id, Directory.patchOp("""
                [{"op":"replace","path":"displayName","value":"PATCH"}]"""), ifMatch, Projection.DEFAULT)),
        DELETE((d, id, ifMatch) -> d.service().delete(ResourceType.USER, id, ifMatch));

        final Call call;

        Write(Call call) {
            this.call = call;
        }

        interface Call {
            void run(Directory d, String id, Optional<String> ifMatch);
        }
    }

    @ParameterizedTest
    @EnumSource(Write.class)
    void aStaleTagIs412AndWritesNothing(Write write) {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            String stale = alice.etag();
            d.patch(ResourceType.USER, alice.id(), """
                    [{"op":"replace","path":"nickName","value":"al"}]""");
            var before = d.state();
            for (String header : new String[] {stale, "W/\"999\"", "\"1\"", "W/\"1\", W/\"3\""}) {
                var e = scimError(() -> write.call.run(d, alice.id(), Optional.of(header)));
                assertThat(e.status()).as(header).isEqualTo(412);
            }
            assertThat(d.state()).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(Write.class)
    void theCurrentTagIsAccepted(Write write) {
        assertAccepted(write, (d, current) -> write.call.run(d, current.id(), Optional.of(current.etag())));
    }

    @ParameterizedTest
    @EnumSource(Write.class)
    void theCurrentTagWithoutTheWeakPrefixOrInAListIsAccepted(Write write) {
        assertAccepted(write, (d, current) -> write.call.run(d, current.id(),
                Optional.of("W/\"77\", \"" + current.version() + "\"")));
    }

    @ParameterizedTest
    @EnumSource(Write.class)
    void aStarMatchesAnyVersion(Write write) {
        assertAccepted(write, (d, current) -> write.call.run(d, current.id(), Optional.of("*")));
    }

    @ParameterizedTest
    @EnumSource(Write.class)
    void noHeaderIsNoPrecondition(Write write) {
        assertAccepted(write, (d, current) -> write.call.run(d, current.id(), Optional.empty()));
    }

    @ParameterizedTest
    @EnumSource(Write.class)
    void aMissingResourceIs404EvenWithAStar(Write write) {
        try (Directory d = Directory.open(dir)) {
            assertThat(scimError(() -> write.call.run(d, "no-such-id", Optional.of("*"))).status()).isEqualTo(404);
            assertThat(d.version()).isZero();
        }
    }

    private void assertAccepted(Write write, BiConsumer<Directory, io.scimitar.scim.service.ScimResource> call) {
        try (Directory d = Directory.open(dir)) {
            var alice = d.createUser("alice");
            var current = d.patch(ResourceType.USER, alice.id(), """
                    [{"op":"replace","path":"nickName","value":"al"}]""");
            call.accept(d, current);
            assertThat(d.version()).isEqualTo(3);
            if (write == Write.DELETE) {
                assertThat(scimError(() -> d.getUser(alice.id())).status()).isEqualTo(404);
            } else {
                assertThat(d.getUser(alice.id()).json().path("displayName").asText()).isEqualTo(write.name());
                assertThat(d.getUser(alice.id()).etag()).isEqualTo("W/\"3\"");
            }
        }
    }
}
