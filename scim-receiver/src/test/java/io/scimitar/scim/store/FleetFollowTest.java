package io.scimitar.scim.store;

import static io.scimitar.scim.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.scimitar.scim.testing.Await;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Receivers learn of each other's writes: a change committed through one store reaches the
 * subscribers and the view of another (LISTEN/NOTIFY, with a poll as the safety net), in order and
 * once, also across a restart of the PostgreSQL server.
 */
class FleetFollowTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.ownCluster();

    private static final Duration POLL = Duration.ofMillis(300);

    private static PostgresSettings settings(String url) {
        return PostgresSettings.of(url, Optional.empty(), Optional.empty()).withPollInterval(POLL);
    }

    @Test
    void aWriteThroughOneReceiverReachesTheOthersSubscribersAndView() throws Exception {
        PostgresSettings db = settings(POSTGRES.createDatabase());
        try (JdbcStore a = JdbcStore.openPostgres(db, true, Fixtures.CLOCK);
             JdbcStore b = JdbcStore.openPostgres(db, true, Fixtures.CLOCK);
             DirectoryView viewB = DirectoryView.follow(b)) {
            List<Long> seenByA = new CopyOnWriteArrayList<>();
            List<Long> seenByB = new CopyOnWriteArrayList<>();
            a.changeLog().subscribe(c -> seenByA.add(c.version()));
            b.changeLog().subscribe(c -> seenByB.add(c.version()));
            for (int i = 1; i <= 30; i++) {
                JdbcStore through = i % 3 == 0 ? b : a;
                Fixtures.commit(through, new ChangeEvent.UserUpserted(user("u" + i, "user" + i, true)));
            }
            List<Long> all = LongStream.rangeClosed(1, 30).boxed().toList();
            Await.until(() -> seenByA.size() >= 30 && seenByB.size() >= 30 && viewB.version() == 30);
            assertThat(seenByA).containsExactlyElementsOf(all);
            assertThat(seenByB).containsExactlyElementsOf(all);
            assertThat(viewB.dump()).isEqualTo(DirectoryView.load(a).dump());
        }
    }

    @Test
    void thePollBringsAChangeWhoseNotificationWasLost() throws Exception {
        String url = POSTGRES.createDatabase();
        try (JdbcStore b = JdbcStore.openPostgres(settings(url), true, Fixtures.CLOCK)) {
            List<Change> seen = new CopyOnWriteArrayList<>();
            b.changeLog().subscribe(seen::add);
            Change silent = new Change(1, Fixtures.CLOCK.instant(),
                    List.of(new ChangeEvent.UserUpserted(user("u1", "alice", true))));
            // A commit that sends no NOTIFY (as if the notification were lost): only the poll finds it.
            try (Connection c = DriverManager.getConnection(url);
                 PreparedStatement st = c.prepareStatement(
                         "INSERT INTO change_log (version, committed_at, events) VALUES (?, ?, ?)")) {
                st.setLong(1, silent.version());
                st.setString(2, silent.committedAt().toString());
                st.setString(3, ChangeCodec.encodeEvents(silent.events()));
                st.executeUpdate();
            }
            Await.until(() -> !seen.isEmpty());
            assertThat(seen).containsExactly(silent);
        }
    }

    @Test
    void theStoresRecoverFromAServerRestartAndMissNothing() throws Exception {
        PostgresSettings db = settings(POSTGRES.createDatabase());
        try (JdbcStore a = JdbcStore.openPostgres(db, true, Fixtures.CLOCK);
             JdbcStore b = JdbcStore.openPostgres(db, true, Fixtures.CLOCK);
             DirectoryView viewA = DirectoryView.follow(a);
             DirectoryView viewB = DirectoryView.follow(b)) {
            List<Long> seenByA = new CopyOnWriteArrayList<>();
            List<Long> seenByB = new CopyOnWriteArrayList<>();
            a.changeLog().subscribe(c -> seenByA.add(c.version()));
            b.changeLog().subscribe(c -> seenByB.add(c.version()));
            for (int i = 1; i <= 5; i++) {
                Fixtures.commit(i % 2 == 0 ? b : a, new ChangeEvent.UserUpserted(user("u" + i, "user" + i, true)));
            }
            Await.until(() -> seenByA.size() >= 5 && seenByB.size() >= 5);

            POSTGRES.stop();
            assertThatThrownBy(() -> Fixtures.commit(a, new ChangeEvent.UserUpserted(user("x", "x", true))))
                    .isInstanceOf(StoreUnavailableException.class);
            POSTGRES.start();

            // The pools replace their dead connections; the first writes may still meet one.
            for (int i = 6; i <= 15; i++) {
                JdbcStore through = i % 2 == 0 ? b : a;
                String id = "u" + i;
                retryWhileUnavailable(() -> Fixtures.commit(through, new ChangeEvent.UserUpserted(user(id, id, true))));
            }
            long head = a.changeLog().currentVersion();
            assertThat(head).isEqualTo(15);
            // B learns of A's writes after the restart only if it listens again (or polls).
            Await.until(() -> seenByA.size() >= 15 && seenByB.size() >= 15 && viewA.version() == 15 && viewB.version() == 15);
            List<Long> all = LongStream.rangeClosed(1, 15).boxed().toList();
            assertThat(seenByA).containsExactlyElementsOf(all);
            assertThat(seenByB).containsExactlyElementsOf(all);
            assertThat(viewA.dump()).isEqualTo(DirectoryView.load(a).dump()).isEqualTo(viewB.dump());
        }
    }

    private static void retryWhileUnavailable(Runnable write) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                write.run();
                return;
            } catch (StoreUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

}
