package io.scimitar.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.authz.GroupRef;
import io.scimitar.testing.ReceiverDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Readers on other threads while the receiver commits changes: every index a reader takes is one
 * whole version. Each change swaps the only member of a group (one PATCH that removes one user
 * and adds the other), so a reader that saw half a change would find both members or none.
 */
class DirectoryIndexConcurrencyTest {

    private static final int READERS = 3;
    private static final int SWAPS = 150;

    @Test
    void readersAlwaysSeeOneWholeVersion() throws Exception {
        try (ReceiverDirectory d = ReceiverDirectory.open()) {
            String first = d.createUser("first");
            String second = d.createUser("second");
            String group = d.createGroup("rota", first);
            DirectoryIndex index = DirectoryIndex.follow(d.store(), d.view(), UserKey.USER_NAME);
            long start = index.current().version();
            int ordinal = index.current().groupOrdinal(new GroupRef.ById(group)).orElseThrow();

            CyclicBarrier go = new CyclicBarrier(READERS + 1);
            AtomicBoolean writing = new AtomicBoolean(true);
            Queue<String> violations = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(READERS);
            List<Future<Reads>> readers = new ArrayList<>();
            try {
                for (int r = 0; r < READERS; r++) {
                    readers.add(pool.submit(() -> {
                        go.await();
                        return read(index, start, ordinal, writing, violations);
                    }));
                }
                go.await();
                for (int i = 1; i <= SWAPS; i++) {
                    d.patchGroup(group, """
                            [{"op":"replace","path":"members","value":%s}]"""
                            .formatted(ReceiverDirectory.members(List.of(i % 2 == 1 ? second : first))));
                }
                writing.set(false);

                long reads = 0;
                long versionsSeen = 0;
                for (Future<Reads> reader : readers) {
                    Reads result = reader.get(30, TimeUnit.SECONDS);
                    reads += result.reads();
                    versionsSeen = Math.max(versionsSeen, result.distinctVersions());
                }
                assertThat(violations).isEmpty();
                assertThat(reads).isPositive();
                assertThat(versionsSeen).as("distinct versions one reader saw").isGreaterThan(1);
                assertThat(index.current().version()).isEqualTo(start + SWAPS);
            } finally {
                pool.shutdownNow();
                index.close();
            }
        }
    }

    record Reads(long reads, long distinctVersions) {
    }

    /** Reads until the writer is done, checking each version against what it must hold. */
    private static Reads read(DirectoryIndex index, long start, int ordinal, AtomicBoolean writing,
            Queue<String> violations) {
        long reads = 0;
        long distinct = 0;
        long last = -1;
        boolean more = true;
        while (more) {
            more = writing.get(); // one last read after the writer finished
            MembershipIndex current = index.current();
            long version = current.version();
            if (version < last) {
                violations.add("version went back from " + last + " to " + version);
            }
            if (version != last) {
                distinct++;
                last = version;
            }
            // After an even number of swaps "first" is the member, after an odd number "second".
            boolean firstExpected = (version - start) % 2 == 0;
            Optional<DirectoryUser> first = current.user("first");
            Optional<DirectoryUser> second = current.user("second");
            boolean firstIn = first.isPresent() && current.isMember(first.get(), ordinal);
            boolean secondIn = second.isPresent() && current.isMember(second.get(), ordinal);
            int members = current.group(ordinal).map(DirectoryGroup::memberCount).orElse(-1);
            if (firstIn != firstExpected || secondIn == firstExpected || members != 1) {
                violations.add("version " + version + ": first=" + firstIn + " second=" + secondIn + " members=" + members);
            }
            reads++;
        }
        return new Reads(reads, distinct);
    }
}
