package io.scimitar.scim.store;

import static io.scimitar.scim.store.Directory.scimError;
import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.scim.error.ScimType;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.service.ScimResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acknowledged writes survive a restart as they were; refused writes leave no trace anywhere. */
class JdbcStoreDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void everythingWrittenReadsBackAfterReopenWithTheSameIdsMetaAndVersions() {
        try (Directory d = Directory.open(dir)) {
            ScimResource alice = d.createUser("alice");
            ScimResource bob = d.createUser("bob");
            d.patch(ResourceType.USER, bob.id(), """
                    [{"op":"replace","path":"name.givenName","value":"Bob"}]""");
            ScimResource admins = d.createGroup("admins", alice.id(), bob.id());
            ScimResource ops = d.createGroup("ops", admins.id());
            d.patch(ResourceType.USER, alice.id(), """
                    [{"op":"replace","path":"active","value":false}]""");
            d.service().delete(ResourceType.USER, bob.id(), Optional.empty());

            Directory.State before = d.state();
            ScimResource aliceBefore = d.getUser(alice.id());
            ScimResource adminsBefore = d.getGroup(admins.id());
            ScimResource opsBefore = d.getGroup(ops.id());

            d.reopen();

            assertThat(d.state()).isEqualTo(before);
            assertThat(d.getUser(alice.id())).isEqualTo(aliceBefore);
            assertThat(d.getGroup(admins.id())).isEqualTo(adminsBefore);
            assertThat(d.getGroup(ops.id())).isEqualTo(opsBefore);
            assertThat(aliceBefore.json().path("active").asBoolean()).isFalse();
            assertThat(aliceBefore.json().path("meta").path("version").asText()).isEqualTo(aliceBefore.etag());
            assertThat(adminsBefore.json().path("members")).extracting(m -> m.path("value").asText())
                    .containsExactly(alice.id());
            assertThat(d.version()).isEqualTo(7);
        }
    }

    @Test
    void changeLogVersionsAreGapFreeFromOneAndSurviveReopen() {
        try (Directory d = Directory.open(dir)) {
            for (int i = 0; i < 12; i++) {
                d.createUser("user" + i);
            }
            scimError(() -> d.createUser("USER3")); // refused: takes no version
            d.createGroup("everyone");
            assertThat(versions(d.allChanges())).containsExactlyElementsOf(range(1, 13));
            d.reopen();
            d.createUser("after-restart");
            assertThat(versions(d.allChanges())).containsExactlyElementsOf(range(1, 14));
            assertThat(d.view().version()).isEqualTo(14);
        }
    }

    @Test
    void aPatchWhoseSecondOperationIsInvalidLeavesNoTrace() {
        try (Directory d = Directory.open(dir)) {
            ScimResource alice = d.createUser("alice");
            Directory.State before = d.state();

            var error = scimError(() -> d.patch(ResourceType.USER, alice.id(), """
                    [{"op":"replace","path":"name.givenName","value":"Alice"},
                     {"op":"replace","path":"active","value":"not a boolean"}]"""));

            assertThat(error.status()).isEqualTo(400);
            assertThat(d.state()).isEqualTo(before);
            assertThat(d.getUser(alice.id()).json().has("name")).isFalse();
            d.reopen();
            assertThat(d.state()).isEqualTo(before);
        }
    }

    @Test
    void aGroupPatchAddingAnUnknownMemberLeavesNoTrace() {
        try (Directory d = Directory.open(dir)) {
            ScimResource alice = d.createUser("alice");
            ScimResource group = d.createGroup("admins");
            Directory.State before = d.state();

            var error = scimError(() -> d.patch(ResourceType.GROUP, group.id(), """
                    [{"op":"replace","path":"displayName","value":"renamed"},
                     {"op":"add","path":"members","value":[{"value":"%s"},{"value":"no-such-id"}]}]"""
                    .formatted(alice.id())));

            assertThat(error.scimType()).contains(ScimType.INVALID_VALUE);
            assertThat(d.state()).isEqualTo(before);
            assertThat(d.getGroup(group.id()).json().path("displayName").asText()).isEqualTo("admins");
            assertThat(d.groupsOf(alice.id())).isEmpty();
        }
    }

    @Test
    void aDuplicateCreateLeavesNoTrace() {
        try (Directory d = Directory.open(dir)) {
            d.createUser("alice");
            d.createGroup("admins");
            Directory.State before = d.state();

            assertThat(scimError(() -> d.createUser("ALICE")).scimType()).contains(ScimType.UNIQUENESS);
            assertThat(scimError(() -> d.createGroup("Admins")).scimType()).contains(ScimType.UNIQUENESS);
            assertThat(scimError(() -> d.service().create(ResourceType.USER,
                    Directory.object("{\"userName\":\"no-schemas\"}"), Projection.DEFAULT)).status()).isEqualTo(400);

            assertThat(d.state()).isEqualTo(before);
        }
    }

    private static List<Long> versions(List<Change> changes) {
        return changes.stream().map(Change::version).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
