package io.scimitar.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.scimitar.feed.SourceDirectory;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.DirectorySettings;
import io.scimitar.scim.store.Directory;
import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.store.JdbcStore;
import io.scimitar.scim.store.PostgresServer;
import io.scimitar.scim.store.PostgresSettings;
import io.scimitar.scim.testing.Await;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The embedded sidecar's index of a receiver that fell behind another's compaction: it is rebuilt
 * from the same snapshot as the receiver's view, in one swap, and then follows the log again.
 */
class DirectoryIndexResyncTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    @Test
    void anIndexBehindACompactionIsRebuiltFromTheTablesInOneSwap() throws Exception {
        PostgresSettings db = PostgresSettings.of(POSTGRES.createDatabase(), Optional.empty(), Optional.empty())
                .withPollInterval(Duration.ofMillis(300));
        try (Directory a = Directory.openPostgres(db, DirectorySettings.DEFAULT);
             JdbcStore b = JdbcStore.openPostgres(db, true, Clock.systemUTC());
             DirectoryView viewB = DirectoryView.follow(b);
             DirectoryIndex indexB = DirectoryIndex.follow(b, viewB, UserKey.USER_NAME)) {
            String ada = a.createUser("ada").id();
            String eng = a.createGroup("eng", ada).id();
            Await.until(() -> indexB.current().version() == 2);
            List<IndexUpdate> updates = new CopyOnWriteArrayList<>();
            indexB.addListener(updates::add);

            b.withoutWrites(() -> {
                String grace = a.createUser("grace").id();
                a.patch(ResourceType.GROUP, eng, "[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + grace + "\"}]}]");
                a.patch(ResourceType.USER, ada, "[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]");
                return a.store().compactChangeLog(Instant.parse("2030-01-01T00:00:00Z"));
            });

            // Listeners hear of a swap after it is visible: wait for the update too.
            Await.until(() -> indexB.current().version() == 5 && !updates.isEmpty());
            MembershipIndex expected = MembershipIndex.of(a.store().snapshot(), UserKey.USER_NAME);
            assertThat(SourceDirectory.describe(indexB.current())).isEqualTo(SourceDirectory.describe(expected));
            assertThat(updates).hasSize(1);
            assertThat(updates.getFirst().everyUser()).isTrue();

            a.createUser("linus");
            Await.until(() -> indexB.current().version() == 6);
            assertThat(SourceDirectory.describe(indexB.current()))
                    .isEqualTo(SourceDirectory.describe(MembershipIndex.of(a.store().snapshot(), UserKey.USER_NAME)));
        }
    }

}
