package io.scimitar.scim.store;

import static io.scimitar.scim.store.Fixtures.user;
import static io.scimitar.scim.store.Fixtures.userMember;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.scimitar.scim.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A receiver that fell behind while another compacted the log past it cannot replay the lost
 * changes: it reloads its view from the tables, tells its resync subscribers, and follows on from
 * there, ending with exactly the directory the other receiver has.
 */
class FleetCompactionResyncTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    @Test
    void aReceiverBehindACompactionReloadsTheExactDirectory() throws Exception {
        PostgresSettings db = PostgresSettings.of(POSTGRES.createDatabase(), Optional.empty(), Optional.empty())
                .withPollInterval(Duration.ofMillis(300));
        Instant start = Instant.parse("2026-11-28T10:00:00Z");
        try (JdbcStore a = JdbcStore.openPostgres(db, true, new Directory.TickingClock(start));
             JdbcStore b = JdbcStore.openPostgres(db, true, new Directory.TickingClock(start));
             DirectoryView viewB = DirectoryView.follow(b)) {
            Fixtures.commit(a, new ChangeEvent.UserUpserted(user("u1", "alice", true)));
            Await.until(() -> viewB.version() == 1);
            List<Long> changesSeenByB = new CopyOnWriteArrayList<>();
            List<Long> resyncsSeenByB = new CopyOnWriteArrayList<>();
            b.changeLog().subscribe(c -> changesSeenByB.add(c.version()));
            b.changeLog().subscribeResyncs(s -> resyncsSeenByB.add(s.version()));

            // B publishes nothing while it holds its own publishing lock: it is behind, as if partitioned.
            b.withoutWrites(() -> {
                Fixtures.commit(a, new ChangeEvent.UserUpserted(user("u2", "bob", true)));
                Fixtures.commit(a, new ChangeEvent.GroupUpserted(Fixtures.group("g1", "eng")),
                        new ChangeEvent.MembersAdded("g1", List.of(userMember("u1"), userMember("u2"))));
                Fixtures.commit(a, new ChangeEvent.UserDeleted("u1"));
                Fixtures.commit(a, new ChangeEvent.UserUpserted(user("u3", "carol", true)));
                assertThat(a.compactChangeLog(start.plusSeconds(1_000_000))).isEqualTo(new JdbcStore.Compaction(4, 5));
                return null;
            });

            // The view is a resync listener registered before the test's: wait for the test's own to be told.
            Await.until(() -> viewB.version() == 5 && !resyncsSeenByB.isEmpty());
            assertThat(viewB.dump()).isEqualTo(DirectoryView.load(a).dump());
            assertThat(resyncsSeenByB).containsExactly(5L);
            assertThat(changesSeenByB).isEmpty();

            Fixtures.commit(a, new ChangeEvent.UserUpserted(user("u4", "dave", true)));
            Await.until(() -> viewB.version() == 6 && !changesSeenByB.isEmpty());
            assertThat(changesSeenByB).containsExactly(6L);
            assertThat(viewB.dump()).isEqualTo(DirectoryView.load(a).dump());
        }
    }

}
