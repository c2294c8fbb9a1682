package io.scimitar.scim.store;

import static io.scimitar.scim.store.Fixtures.commit;
import static io.scimitar.scim.store.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcChangeLogTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void readAfterPagesThroughTheLogInOrder(StoreEngine engine) {
        try (JdbcStore store = engine.store(dir)) {
            for (int i = 1; i <= 7; i++) {
                commit(store, new ChangeEvent.UserUpserted(user("u" + i, "user" + i, true)));
            }
            ChangeLog log = store.changeLog();
            List<Long> seen = new ArrayList<>();
            long after = 0;
            List<Change> page;
            while (!(page = log.readAfter(after, 3)).isEmpty()) {
                assertThat(page).hasSizeLessThanOrEqualTo(3);
                page.forEach(c -> seen.add(c.version()));
                after = page.getLast().version();
            }
            assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(log.readAfter(5, 100)).extracting(Change::version).containsExactly(6L, 7L);
            assertThat(log.readAfter(7, 100)).isEmpty();
            assertThat(log.readAfter(0, 0)).isEmpty();
            assertThat(log.readAfter(2, 1).getFirst().events())
                    .containsExactly(new ChangeEvent.UserUpserted(user("u3", "user3", true)));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void subscribersSeeEveryCommitInOrderAfterCommitAndAFailingOneHarmsNobody(StoreEngine engine) throws Exception {
        try (JdbcStore store = engine.store(dir)) {
            List<Long> first = new ArrayList<>();
            List<Long> versionsVisibleToListener = new ArrayList<>();
            AutoCloseable failing = store.changeLog().subscribe(c -> {
                throw new IllegalStateException("listener bug");
            });
            AutoCloseable sub = store.changeLog().subscribe(c -> {
                first.add(c.version());
                versionsVisibleToListener.add(store.changeLog().currentVersion());
            });
            commit(store, new ChangeEvent.UserUpserted(user("u1", "a", true)));
            commit(store, new ChangeEvent.UserUpserted(user("u2", "b", true)));
            sub.close();
            commit(store, new ChangeEvent.UserUpserted(user("u3", "c", true)));
            failing.close();
            assertThat(first).containsExactly(1L, 2L);
            // Called after commit: the change is already readable from the log.
            assertThat(versionsVisibleToListener).containsExactly(1L, 2L);
            assertThat(store.changeLog().currentVersion()).isEqualTo(3);
        }
    }

    static Stream<ChangeEvent> everyEventType() {
        return Fixtures.everyEventType().stream();
    }

    @ParameterizedTest
    @MethodSource("everyEventType")
    void everyEventTypeSurvivesTheCodec(ChangeEvent event) {
        Change change = new Change(42, Instant.parse("2026-11-28T10:15:30.123Z"), List.of(event));
        assertThat(ChangeCodec.decode(ChangeCodec.encode(change))).isEqualTo(change);
    }

    @Test
    void theWireShapeIsTheDocumentedOne() throws Exception {
        Change change = new Change(7, Instant.parse("2026-11-28T10:15:30.123Z"), List.of(
                new ChangeEvent.UserDeleted("u1"),
                new ChangeEvent.MembersAdded("g1", List.of(new ChangeEvent.Member("u2", "User")))));
        JsonNode expected = Json.MAPPER.readTree("""
                {"version":7,"committedAt":"2026-11-28T10:15:30.123Z","events":[
                 {"type":"userDeleted","userId":"u1"},
                 {"type":"membersAdded","groupId":"g1","members":[{"id":"u2","type":"User"}]}]}""");
        assertThat(Json.MAPPER.readTree(ChangeCodec.encode(change))).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(StoreEngine.class)
    void everyEventTypeSurvivesTheStore(StoreEngine engine) {
        try (JdbcStore store = engine.store(dir)) {
            List<ChangeEvent> events = Fixtures.everyEventType();
            // Stored as one change: the group must exist before members are added to it.
            List<ChangeEvent> ordered = List.of(events.get(3), events.get(0), events.get(5), events.get(6),
                    events.get(1), events.get(2), events.get(4));
            commit(store, ordered.toArray(ChangeEvent[]::new));
            assertThat(store.changeLog().readAfter(0, 10).getFirst().events()).isEqualTo(ordered);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"version\":1,\"committedAt\":\"yesterday\",\"events\":[]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":{}}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{\"type\":\"userRenamed\"}]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{\"type\":\"userUpserted\",\"user\":1}]}",
        "{\"version\":1,\"committedAt\":\"2026-11-28T10:15:30Z\",\"events\":[{\"type\":\"membersAdded\",\"groupId\":\"g\"}]}",
        "not json"})
    void malformedChangesAreRejectedWithAReason(String json) {
        assertThatThrownBy(() -> ChangeCodec.decode(json)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }
}
