package io.scimitar.scim.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.ScimResource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The change log as its followers use it: paging through history and subscribing to what comes next. */
class ChangeLogTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void readAfterPagesThroughTheLogInOrder(StoreEngine engine) {
        try (Directory d = engine.directory(dir)) {
            for (int i = 0; i < 10; i++) {
                d.createUser("user" + i);
            }
            assertThat(versions(d.log().readAfter(0, 3))).containsExactly(1L, 2L, 3L);
            assertThat(versions(d.log().readAfter(3, 3))).containsExactly(4L, 5L, 6L);
            assertThat(versions(d.log().readAfter(8, 100))).containsExactly(9L, 10L);
            assertThat(d.log().readAfter(10, 100)).isEmpty();
            assertThat(d.log().readAfter(0, 0)).isEmpty();
            assertThat(d.log().readAfter(-5, 1)).extracting(Change::version).containsExactly(1L);

            List<Long> paged = new ArrayList<>();
            long after = 0;
            for (List<Change> page; !(page = d.log().readAfter(after, 4)).isEmpty(); after = page.getLast().version()) {
                page.forEach(c -> paged.add(c.version()));
            }
            assertThat(paged).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(d.log().currentVersion()).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void anEmptyDirectoryIsAtVersionZero(StoreEngine engine) {
        try (Directory d = engine.directory(dir)) {
            assertThat(d.log().currentVersion()).isZero();
            assertThat(d.log().readAfter(0, 10)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void subscribersSeeEveryLaterChangeInOrderUntilTheyUnsubscribe(StoreEngine engine) throws Exception {
        try (Directory d = engine.directory(dir)) {
            d.createUser("before");
            List<Change> first = new CopyOnWriteArrayList<>();
            List<Change> second = new CopyOnWriteArrayList<>();
            AutoCloseable firstSubscription = d.log().subscribe(first::add);
            AutoCloseable secondSubscription = d.log().subscribe(second::add);

            ScimResource alice = d.createUser("alice");
            d.createGroup("admins", alice.id());
            firstSubscription.close();
            d.createUser("bob");
            secondSubscription.close();
            d.createUser("carol");

            assertThat(versions(first)).containsExactly(2L, 3L);
            assertThat(versions(second)).containsExactly(2L, 3L, 4L);
            assertThat(second).containsExactlyElementsOf(d.log().readAfter(1, 3));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void theSameListenerSubscribedTwiceIsTwoIndependentSubscriptions(StoreEngine engine) throws Exception {
        try (Directory d = engine.directory(dir)) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            java.util.function.Consumer<Change> listener = c -> seen.add(c.version());
            AutoCloseable one = d.log().subscribe(listener);
            try (AutoCloseable two = d.log().subscribe(listener)) {
                d.createUser("alice");
                one.close();
                d.createUser("bob");
            }
            assertThat(seen).containsExactly(1L, 1L, 2L);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void aFailingListenerNeitherBreaksTheWriteNorStarvesTheOthers(StoreEngine engine) throws Exception {
        try (Directory d = engine.directory(dir)) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            try (AutoCloseable failing = d.log().subscribe(c -> {
                throw new IllegalStateException("listener bug");
            }); AutoCloseable healthy = d.log().subscribe(c -> seen.add(c.version()))) {
                ScimResource alice = d.createUser("alice");
                d.patch(ResourceType.USER, alice.id(), """
                        [{"op":"replace","path":"displayName","value":"Alice"}]""");

                assertThat(seen).containsExactly(1L, 2L);
                assertThat(d.getUser(alice.id()).json().path("displayName").asText()).isEqualTo("Alice");
                assertThat(d.version()).isEqualTo(2);
                assertThat(d.view().version()).isEqualTo(2);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void aWriteThatChangesNothingTakesNoVersion(StoreEngine engine) {
        try (Directory d = engine.directory(dir)) {
            ScimResource alice = d.createUser("alice");
            List<Change> seen = new CopyOnWriteArrayList<>();
            d.log().subscribe(seen::add);
            Integer result = d.store().write(tx -> 42);
            d.patch(ResourceType.USER, alice.id(), """
                    [{"op":"replace","path":"userName","value":"alice"}]""");
            assertThat(result).isEqualTo(42);
            assertThat(seen).isEmpty();
            assertThat(d.version()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void changesCarryTheCommitTimeAndEventsAsWritten(int groups) {
        try (Directory d = Directory.open(dir)) {
            ScimResource alice = d.createUser("alice");
            for (int i = 0; i < groups; i++) {
                d.createGroup("g" + i, alice.id());
            }
            Change last = d.log().readAfter(groups, 1).getFirst();
            assertThat(last.events()).hasSize(2);
            assertThat(last.events().get(0)).isInstanceOf(ChangeEvent.GroupUpserted.class);
            assertThat(last.events().get(1)).isEqualTo(new ChangeEvent.MembersAdded(
                    ((ChangeEvent.GroupUpserted) last.events().get(0)).group().path("id").asText(),
                    List.of(new ChangeEvent.Member(alice.id(), "User"))));
            assertThat(last.committedAt()).isEqualTo(Instant.parse(((ChangeEvent.GroupUpserted) last.events().get(0))
                    .group().path("meta").path("lastModified").asText()));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void closingTheStoreIsFinal(StoreEngine engine) {
        Directory d = engine.directory(dir);
        d.close();
        assertThatThrownBy(() -> d.log().currentVersion()).isInstanceOf(StoreUnavailableException.class);
    }

    private static List<Long> versions(List<Change> changes) {
        return changes.stream().map(Change::version).toList();
    }
}
