package io.scimitar.scim.store;

import static io.scimitar.scim.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.DirectorySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two receivers (two stores on one PostgreSQL database) writing at once: no update is lost, a
 * userName stays unique across them, and readers of the change log never see a gap that is filled
 * later (the version is taken under the write lock, so version order is commit order).
 */
class FleetWritesTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    private static final int WRITERS_PER_STORE = 4;
    private static final int WRITES_PER_WRITER = 60;

    @Test
    void readersNeverSeeAGapThatIsFilledLater() throws Exception {
        String url = POSTGRES.createDatabase();
        try (JdbcStore a = JdbcStore.open(url, true, Fixtures.CLOCK);
             JdbcStore b = JdbcStore.open(url, true, Fixtures.CLOCK)) {
            int total = 2 * WRITERS_PER_STORE * WRITES_PER_WRITER;
            ExecutorService pool = Executors.newFixedThreadPool(2 * WRITERS_PER_STORE + 1);
            try {
                CountDownLatch go = new CountDownLatch(1);
                AtomicBoolean writing = new AtomicBoolean(true);
                // The reader follows the log as a sidecar would: read after the last version seen.
                // A sequence-numbered log would let it see V+2 (committed first) while V+1 is still
                // in flight, skip V+1, and never read it.
                Future<List<Long>> reader = pool.submit(() -> {
                    List<Long> seen = new ArrayList<>();
                    long last = 0;
                    go.await();
                    while (last < total) {
                        for (Change c : a.changeLog().readAfter(last, 1000)) {
                            if (c.version() != last + 1) {
                                fail("read version " + c.version() + " right after " + last);
                            }
                            seen.add(c.version());
                            last = c.version();
                        }
                        if (!writing.get() && last < total && a.changeLog().currentVersion() == last) {
                            fail("the writers finished but the log stops at " + last);
                        }
                    }
                    return seen;
                });
                List<Future<?>> writers = new ArrayList<>();
                for (JdbcStore store : List.of(a, b)) {
                    for (int w = 0; w < WRITERS_PER_STORE; w++) {
                        String prefix = (store == a ? "a" : "b") + w + "-";
                        writers.add(pool.submit(() -> {
                            go.await();
                            for (int i = 0; i < WRITES_PER_WRITER; i++) {
                                String id = prefix + i;
                                Fixtures.commit(store, new ChangeEvent.UserUpserted(user(id, id, true)));
                            }
                            return null;
                        }));
                    }
                }
                go.countDown();
                for (Future<?> w : writers) {
                    w.get(2, TimeUnit.MINUTES);
                }
                writing.set(false);
                assertThat(reader.get(2, TimeUnit.MINUTES))
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, total).mapToObj(i -> (long) i).toList());
                assertThat(DirectoryView.load(a).dump().users()).hasSize(total);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void concurrentPatchesOfOneGroupThroughTwoReceiversAllTakeEffect() throws Exception {
        PostgresSettings postgres = PostgresSettings.of(POSTGRES.createDatabase(), Optional.empty(),
                Optional.empty());
        DirectorySettings settings = new DirectorySettings(true, 1000);
        try (Directory a = Directory.openPostgres(postgres, settings);
             Directory b = Directory.openPostgres(postgres, settings)) {
            String groupId = a.createGroup("Engineers").id();
            int users = 40;
            List<String> userIds = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                userIds.add((i % 2 == 0 ? a : b).createUser("user" + i).id());
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> patches = new ArrayList<>();
                for (int i = 0; i < users; i++) {
                    Directory through = i % 2 == 0 ? a : b;
                    String member = userIds.get(i);
                    patches.add(pool.submit(() -> {
                        go.await();
                        through.patch(ResourceType.GROUP, groupId, """
                                [{"op":"add","path":"members","value":[{"value":"%s"}]}]""".formatted(member));
                        return null;
                    }));
                    // Renames race with the member additions: each reads the group inside its write.
                    if (i % 10 == 0) {
                        String name = "Engineers " + i;
                        patches.add(pool.submit(() -> {
                            go.await();
                            through.patch(ResourceType.GROUP, groupId, """
                                    [{"op":"replace","path":"displayName","value":"%s"}]""".formatted(name));
                            return null;
                        }));
                    }
                }
                go.countDown();
                for (Future<?> p : patches) {
                    p.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(a.store().snapshot().memberships()).extracting(m -> m.member().id())
                    .containsExactlyInAnyOrderElementsOf(userIds);
            long head = a.version();
            awaitVersion(b, head);
            awaitVersion(a, head);
            for (Directory d : List.of(a, b)) {
                assertThat(d.membersOf(groupId)).containsOnlyKeys(userIds);
                assertThat(d.view().dump()).isEqualTo(DirectoryView.load(d.store()).dump());
            }
            assertThat(a.getGroup(groupId).json().path("displayName").asText()).startsWith("Engineers ");
        }
    }

    @Test
    void aUserNameIsTakenByOneReceiverOnlyWhateverItsCase() throws Exception {
        PostgresSettings postgres = PostgresSettings.of(POSTGRES.createDatabase(), Optional.empty(),
                Optional.empty());
        DirectorySettings settings = new DirectorySettings(true, 1000);
        try (Directory a = Directory.openPostgres(postgres, settings);
             Directory b = Directory.openPostgres(postgres, settings)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (int round = 0; round < 20; round++) {
                    String name = "person" + round;
                    String capitalised = "Person" + round;
                    CountDownLatch go = new CountDownLatch(1);
                    AtomicInteger conflicts = new AtomicInteger();
                    List<Callable<Boolean>> creates = List.of(
                            () -> create(a, name, go, conflicts), () -> create(b, name.toUpperCase(), go, conflicts),
                            () -> create(a, capitalised, go, conflicts), () -> create(b, name, go, conflicts));
                    List<Future<Boolean>> results = creates.stream().map(pool::submit).toList();
                    go.countDown();
                    int created = 0;
                    for (Future<Boolean> r : results) {
                        created += r.get(1, TimeUnit.MINUTES) ? 1 : 0;
                    }
                    assertThat(created).as("creates of %s that succeeded", name).isEqualTo(1);
                    assertThat(conflicts).hasValue(3);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(DirectoryView.load(a.store()).dump().users()).hasSize(20);
        }
    }

    private static boolean create(Directory through, String userName, CountDownLatch go, AtomicInteger conflicts)
            throws InterruptedException {
        go.await();
        try {
            through.createUser(userName);
            return true;
        } catch (ScimException e) {
            assertThat(e.status()).isEqualTo(409);
            conflicts.incrementAndGet();
            return false;
        }
    }

    /** Waits (bounded) until the directory's view has applied {@code version}. */
    static void awaitVersion(Directory d, long version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (d.view().version() < version) {
            if (System.nanoTime() > deadline) {
                fail("the view stayed at " + d.view().version() + ", expected " + version);
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }
}
