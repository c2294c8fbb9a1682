package io.scimitar.scim.store;

import static io.scimitar.scim.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The change log keeps its retention: compaction removes the oldest changes committed before the
 * cutoff, never the newest, and the versions go on without a gap; two receivers compacting one
 * PostgreSQL database at once remove each row once and nothing more.
 */
class ChangeLogCompactionTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    private static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    @TempDir
    Path dir;

    private JdbcStore open(StoreEngine engine) {
        // One second later per write: committed_at tells the changes apart.
        Directory.TickingClock clock = new Directory.TickingClock(START);
        return switch (engine) {
            case SQLITE -> JdbcStore.openSqlite(dir.resolve("directory.db"), true, clock);
            case POSTGRESQL -> JdbcStore.openPostgres(PostgresSettings.of(POSTGRES.createDatabase(),
                    Optional.empty(), Optional.empty()), true, clock);
        };
    }

    private static void write(JdbcStore store, int from, int to) {
        for (int i = from; i <= to; i++) {
            Fixtures.commit(store, new ChangeEvent.UserUpserted(user("u" + i, "user" + i, true)));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void removesOnlyTheChangesOlderThanTheCutoff(StoreEngine engine) {
        try (JdbcStore store = open(engine)) {
            write(store, 1, 10);
            Instant sixth = store.changeLog().readAfter(5, 1).getFirst().committedAt();

            JdbcStore.Compaction done = store.compactChangeLog(sixth);

            assertThat(done).isEqualTo(new JdbcStore.Compaction(5, 6));
            assertThat(store.changeLog().oldestVersion()).isEqualTo(6);
            assertThat(store.changeLog().currentVersion()).isEqualTo(10);
            assertThat(store.changeLog().readAfter(5, 100)).extracting(Change::version)
                    .containsExactly(6L, 7L, 8L, 9L, 10L);
            assertThat(store.compactChangeLog(sixth)).isEqualTo(new JdbcStore.Compaction(0, 6));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void keepsTheNewestChangeAndTheVersionsGoOnWithoutAGap(StoreEngine engine) {
        try (JdbcStore store = open(engine)) {
            write(store, 1, 4);
            Instant farFuture = START.plusSeconds(1_000_000);

            assertThat(store.compactChangeLog(farFuture)).isEqualTo(new JdbcStore.Compaction(3, 4));
            assertThat(store.changeLog().currentVersion()).isEqualTo(4);

            write(store, 5, 6);
            assertThat(store.changeLog().readAfter(3, 100)).extracting(Change::version).containsExactly(4L, 5L, 6L);
            assertThat(store.compactChangeLog(farFuture)).isEqualTo(new JdbcStore.Compaction(2, 6));
            assertThat(store.changeLog().currentVersion()).isEqualTo(6);
            assertThat(DirectoryView.load(store).dump().users()).hasSize(6);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void anEmptyLogHasNothingToCompact(StoreEngine engine) {
        try (JdbcStore store = open(engine)) {
            assertThat(store.compactChangeLog(START.plusSeconds(1_000_000))).isEqualTo(new JdbcStore.Compaction(0, 1));
            write(store, 1, 1);
            assertThat(store.compactChangeLog(START.plusSeconds(1_000_000))).isEqualTo(new JdbcStore.Compaction(0, 1));
        }
    }

    @Test
    void twoReceiversCompactingTheSameDatabaseAtOnceRemoveEachOldRowOnce() throws Exception {
        PostgresSettings db = PostgresSettings.of(POSTGRES.createDatabase(), Optional.empty(), Optional.empty());
        int changes = JdbcStore.COMPACTION_BATCH * 2 + 100;
        try (JdbcStore a = JdbcStore.openPostgres(db, true, new Directory.TickingClock(START));
             JdbcStore b = JdbcStore.openPostgres(db, true, new Directory.TickingClock(START))) {
            write(a, 1, changes);
            Instant cutoff = START.plusSeconds(1_000_000);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<JdbcStore.Compaction> byA = CompletableFuture.supplyAsync(() -> {
                await(go);
                return a.compactChangeLog(cutoff);
            });
            CompletableFuture<JdbcStore.Compaction> byB = CompletableFuture.supplyAsync(() -> {
                await(go);
                return b.compactChangeLog(cutoff);
            });
            go.countDown();
            JdbcStore.Compaction doneA = byA.get(60, TimeUnit.SECONDS);
            JdbcStore.Compaction doneB = byB.get(60, TimeUnit.SECONDS);

            assertThat(doneA.removed() + doneB.removed()).isEqualTo(changes - 1);
            assertThat(List.of(doneA.oldestVersion(), doneB.oldestVersion())).containsOnly((long) changes);
            assertThat(a.changeLog().currentVersion()).isEqualTo(changes);
            write(b, changes + 1, changes + 1);
            assertThat(a.changeLog().readAfter(0, 10)).extracting(Change::version)
                    .containsExactlyElementsOf(LongStream.rangeClosed(changes, changes + 1).boxed().toList());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
