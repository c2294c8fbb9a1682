package io.scimitar.scim.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.store.Change;
import io.scimitar.scim.store.ChangeLog;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /feed/v1/changes}: the backlog, then live changes, in order, once each; heartbeats; refusals. */
class FeedChangesTest {

    @Test
    void backlogThenLiveWritesArriveInOrderWithoutGaps() {
        try (FeedFixture receiver = FeedFixture.start()) {
            receiver.createUser("ada");
            receiver.createUser("grace");
            try (FeedFixture.Lines lines = receiver.changes(0)) {
                assertThat(lines.response.statusCode()).isEqualTo(200);
                assertThat(lines.response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
                assertChange(lines.nextChange(), 1, "ada");
                assertChange(lines.nextChange(), 2, "grace");
                receiver.createUser("linus");
                assertChange(lines.nextChange(), 3, "linus");
                receiver.createUser("barbara");
                assertChange(lines.nextChange(), 4, "barbara");
            }
        }
    }

    @Test
    void resumesFromAVersionInTheMiddle() {
        try (FeedFixture receiver = FeedFixture.start()) {
            for (String name : List.of("u1", "u2", "u3", "u4")) {
                receiver.createUser(name);
            }
            try (FeedFixture.Lines lines = receiver.changes(2)) {
                assertChange(lines.nextChange(), 3, "u3");
                assertChange(lines.nextChange(), 4, "u4");
                receiver.createUser("u5");
                assertChange(lines.nextChange(), 5, "u5");
            }
        }
    }

    @Test
    void theSwitchFromBacklogToLiveMissesAndRepeatsNothingWhileWritesRunOn() {
        // Pages of two changes, so the stream catches up over many reads while the writer keeps going.
        try (FeedFixture receiver = FeedFixture.start(b -> b.backlogPage(2))) {
            for (int i = 0; i < 15; i++) {
                receiver.createUser("before" + i);
            }
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 15; i++) {
                    receiver.createUser("during" + i);
                }
            });
            try (FeedFixture.Lines lines = receiver.changes(0)) {
                List<Long> versions = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    versions.add(lines.nextChange().path("version").asLong());
                }
                writer.join();
                assertThat(versions).containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 30).boxed().toList());
            }
        }
    }

    @Test
    void heartbeatsCarryTheVersionWhenIdle() {
        try (FeedFixture receiver = FeedFixture.start(b -> b.heartbeat(Duration.ofMillis(200)))) {
            receiver.createUser("ada");
            try (FeedFixture.Lines lines = receiver.changes(1)) {
                JsonNode first = lines.next(Duration.ofSeconds(5));
                assertThat(first.path("type").asText()).isEqualTo("heartbeat");
                assertThat(first.path("version").asLong()).isEqualTo(1);
                JsonNode second = lines.next(Duration.ofSeconds(5));
                assertThat(second.path("type").asText()).isEqualTo("heartbeat");
                receiver.createUser("grace");
                assertChange(lines.nextChange(), 2, "grace");
                JsonNode after = lines.next(Duration.ofSeconds(5));
                assertThat(after.path("type").asText()).isEqualTo("heartbeat");
                assertThat(after.path("version").asLong()).isEqualTo(2);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?after=", "?after=abc", "?after=-1", "?after=1.5", "?after=3", "?after=0&after=1",
            "?after=99999999999999999999"})
    void answers400ForABadAfter(String query) {
        try (FeedFixture receiver = FeedFixture.start()) {
            receiver.createUser("ada");
            HttpResponse<String> response = receiver.send(receiver.feedRequest("/feed/v1/changes" + query).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(FeedFixture.json(response.body()).path("detail").asText()).contains("after");
        }
    }

    @Test
    void answers410ForAVersionTheLogNoLongerHolds() {
        try (FeedFixture receiver = FeedFixture.withFeed(directory -> Feed.on(
                FeedSettings.builder(io.scimitar.scim.http.BearerTokens.of(FeedFixture.FEED_TOKEN)).build(),
                new CompactedLog(directory.store().changeLog(), 3), directory.store()::streamSnapshot))) {
            for (String name : List.of("u1", "u2", "u3", "u4")) {
                receiver.createUser(name);
            }
            HttpResponse<String> gone = receiver.send(receiver.feedRequest("/feed/v1/changes?after=1").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(FeedFixture.json(gone.body()).path("detail").asText()).contains("snapshot");
            try (FeedFixture.Lines lines = receiver.changes(2)) {
                assertThat(lines.response.statusCode()).isEqualTo(200);
                assertThat(lines.nextChange().path("version").asLong()).isEqualTo(3);
            }
        }
    }

    @Test
    void closingTheServerEndsTheStream() {
        FeedFixture receiver = FeedFixture.start();
        try (FeedFixture.Lines lines = receiver.changes(0)) {
            assertThat(lines.next().path("type").asText()).isEqualTo("heartbeat");
            long started = System.nanoTime();
            receiver.close();
            assertThat(FeedFixture.Lines.isEnd(lines.next())).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    private static void assertChange(JsonNode line, long version, String userName) {
        assertThat(line.path("type").asText()).isEqualTo("change");
        assertThat(line.path("version").asLong()).isEqualTo(version);
        assertThat(line.path("committedAt").asText()).isNotEmpty();
        assertThat(line.path("events").get(0).path("type").asText()).isEqualTo("userUpserted");
        assertThat(line.path("events").get(0).path("user").path("userName").asText()).isEqualTo(userName);
    }

    /** The real log, as it would look after compaction removed every version below {@code oldest}. */
    private record CompactedLog(ChangeLog log, long oldest) implements ChangeLog {
        @Override
        public long currentVersion() {
            return log.currentVersion();
        }

        @Override
        public long oldestVersion() {
            return oldest;
        }

        @Override
        public List<Change> readAfter(long afterVersion, int limit) {
            return log.readAfter(afterVersion, limit);
        }

        @Override
        public AutoCloseable subscribe(Consumer<Change> listener) {
            return log.subscribe(listener);
        }
    }
}
