package io.scimitar.scim.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.http.BearerTokens;
import io.scimitar.scim.store.Directory;
import io.scimitar.scim.store.JdbcStore;
import io.scimitar.scim.store.StoreUnavailableException;
import io.scimitar.scim.testing.Await;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Gzip snapshots come from one shared build ({@link SharedSnapshot}): requests during a build join
 * it and get its chunks as they are produced, later ones reuse it while it is young and the log
 * still follows on from it, and a failed build fails only the requests that joined it.
 */
class FeedSharedSnapshotTest {

    @Test
    void requestsDuringABuildJoinItAndGetTheSameBody() throws Exception {
        try (Counted receiver = Counted.start(b -> b)) {
            receiver.fixture.createUser("ada");
            receiver.gate.hold();
            CompletableFuture<HttpResponse<byte[]>> first = receiver.gzipSnapshotAsync();
            receiver.gate.awaitEntered();
            CompletableFuture<HttpResponse<byte[]>> second = receiver.gzipSnapshotAsync();
            Await.until(() -> receiver.shared().waiting() == 1);
            receiver.gate.release();
            HttpResponse<byte[]> a = first.get(10, TimeUnit.SECONDS);
            HttpResponse<byte[]> b = second.get(10, TimeUnit.SECONDS);
            assertThat(a.statusCode()).isEqualTo(200);
            assertThat(b.statusCode()).isEqualTo(200);
            assertThat(b.body()).isEqualTo(a.body());
            assertThat(gunzip(a.body())).contains("\"userName\":\"ada\"");
            assertThat(b.headers().firstValue("X-Scimitar-Version")).isEqualTo(a.headers().firstValue("X-Scimitar-Version"));
            assertThat(receiver.reads.get()).isEqualTo(1);
        }
    }

    @Test
    void aSnapshotWithinTheBoundIsReusedAndTheChangesAfterItCatchUp() {
        try (Counted receiver = Counted.start(b -> b.snapshotMaxAge(Duration.ofHours(1)))) {
            receiver.fixture.createUser("ada");
            HttpResponse<byte[]> first = receiver.gzipSnapshot();
            long version = version(first);
            String grace = receiver.fixture.createUser("grace");

            HttpResponse<byte[]> second = receiver.gzipSnapshot();
            assertThat(version(second)).isEqualTo(version);
            assertThat(second.body()).isEqualTo(first.body());
            assertThat(receiver.reads.get()).isEqualTo(1);
            try (FeedFixture.Lines changes = receiver.fixture.changes(version)) {
                JsonNode change = changes.nextChange();
                assertThat(change.path("version").asLong()).isEqualTo(version + 1);
                assertThat(change.toString()).contains(grace).contains("grace");
            }
        }
    }

    @Test
    void aSnapshotPastTheAgeBoundIsBuiltAfresh() {
        try (Counted receiver = Counted.start(b -> b.snapshotMaxAge(Duration.ofNanos(1)))) {
            receiver.fixture.createUser("ada");
            long version = version(receiver.gzipSnapshot());
            receiver.fixture.createUser("grace");

            HttpResponse<byte[]> fresh = receiver.gzipSnapshot();
            assertThat(version(fresh)).isEqualTo(version + 1);
            assertThat(gunzip(fresh.body())).contains("\"userName\":\"grace\"");
            assertThat(receiver.reads.get()).isEqualTo(2);
        }
    }

    @Test
    void aSnapshotWhoseChangesTheLogNoLongerHoldsIsBuiltAfresh() {
        try (Counted receiver = Counted.start(b -> b.snapshotMaxAge(Duration.ofHours(1)))) {
            receiver.fixture.createUser("ada");
            long version = version(receiver.gzipSnapshot());
            receiver.fixture.createUser("grace");
            receiver.fixture.createUser("linus");
            // Keeps only the newest change: version + 1 is gone, so a sidecar at version could not follow on.
            receiver.fixture.directory.store().compactChangeLog(Instant.now().plusSeconds(60));
            assertThat(receiver.fixture.directory.log().oldestVersion()).isGreaterThan(version + 1);

            HttpResponse<byte[]> fresh = receiver.gzipSnapshot();
            assertThat(version(fresh)).isEqualTo(version + 2);
            assertThat(receiver.reads.get()).isEqualTo(2);
        }
    }

    @Test
    void aClientLeavingDoesNotDisturbTheOthersSharingTheBuild() throws Exception {
        try (Counted receiver = Counted.start(b -> b)) {
            receiver.fixture.createUser("ada");
            receiver.gate.hold();
            try (Socket leaving = new Socket(InetAddress.getLoopbackAddress(), receiver.fixture.server.port())) {
                leaving.getOutputStream().write(("GET /feed/v1/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                        + FeedFixture.FEED_TOKEN + "\r\nAccept-Encoding: gzip\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                leaving.getOutputStream().flush();
                receiver.gate.awaitEntered();
            }
            CompletableFuture<HttpResponse<byte[]>> staying = receiver.gzipSnapshotAsync();
            Await.until(() -> receiver.shared().waiting() == 1);
            receiver.gate.release();

            HttpResponse<byte[]> response = staying.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(gunzip(response.body())).contains("\"userName\":\"ada\"").endsWith("\"memberships\":0}\n");
            assertThat(receiver.gzipSnapshot().body()).isEqualTo(response.body());
            assertThat(receiver.reads.get()).isEqualTo(1);
        }
    }

    @Test
    void aFailedBuildRefusesEveryoneWhoJoinedAndTheNextRequestBuildsAgain() throws Exception {
        try (Counted receiver = Counted.start(b -> b)) {
            receiver.fixture.createUser("ada");
            receiver.gate.hold();
            receiver.failNext.set(true);
            CompletableFuture<HttpResponse<byte[]>> first = receiver.gzipSnapshotAsync();
            receiver.gate.awaitEntered();
            CompletableFuture<HttpResponse<byte[]>> second = receiver.gzipSnapshotAsync();
            Await.until(() -> receiver.shared().waiting() == 1);
            receiver.gate.release();

            for (HttpResponse<byte[]> refused : new HttpResponse[] {first.get(10, TimeUnit.SECONDS),
                    second.get(10, TimeUnit.SECONDS)}) {
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(FeedFixture.json(new String(refused.body(), StandardCharsets.UTF_8)).toString())
                        .contains("the directory store is unavailable");
            }
            HttpResponse<byte[]> retried = receiver.gzipSnapshot();
            assertThat(retried.statusCode()).isEqualTo(200);
            assertThat(gunzip(retried.body())).contains("\"userName\":\"ada\"");
            assertThat(receiver.reads.get()).isEqualTo(2);
        }
    }

    @Test
    void aSnapshotPastTheMemoryCapIsStreamedPerRequest() {
        try (Counted receiver = Counted.start(b -> b.snapshotCacheBytes(64))) {
            for (int i = 0; i < 20; i++) {
                receiver.fixture.createUser("user" + i);
            }
            HttpResponse<byte[]> first = receiver.gzipSnapshot();
            HttpResponse<byte[]> second = receiver.gzipSnapshot();
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(gunzip(second.body())).isEqualTo(gunzip(first.body())).contains("\"userName\":\"user19\"");
            // The capped build stopped; then each request read the store on its own, as without sharing.
            assertThat(receiver.reads.get()).isEqualTo(3);
        }
    }

    @Test
    void aClientThatStopsReadingASharedSnapshotIsCut() throws Exception {
        try (Counted receiver = Counted.start(b -> b.stallTimeout(Duration.ofMillis(300)));
             Socket socket = new Socket()) {
            // Random text hardly compresses: ~8 MiB of gzip, more than the socket buffers hold.
            Random random = new Random(7);
            for (int i = 0; i < 8; i++) {
                byte[] noise = new byte[768 * 1024];
                random.nextBytes(noise);
                receiver.fixture.directory.createUser(Directory.object("""
                        {"schemas":["%s"],"userName":"noisy%d","externalId":"%s"}""".formatted(Directory.USER_SCHEMA, i,
                        Base64.getEncoder().encodeToString(noise))));
            }
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), receiver.fixture.server.port()));
            socket.getOutputStream().write(("GET /feed/v1/snapshot HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + FeedFixture.FEED_TOKEN + "\r\nAccept-Encoding: gzip\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");

            Await.until(Duration.ofSeconds(10), () -> receiver.fixture.feed.connections() == 0,
                    () -> "the receiver still holds the connection of a client that stopped reading");
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            in.transferTo(rest); // returns at end of stream: the receiver closed the connection
            assertThat(rest.toString(StandardCharsets.ISO_8859_1)).doesNotEndWith("0\r\n\r\n");
            // Others are not held up: the same snapshot, whole, from the same build.
            HttpResponse<byte[]> whole = receiver.gzipSnapshot();
            assertThat(whole.body().length).isGreaterThan(rest.size());
            assertThat(gunzip(whole.body())).contains("\"userName\":\"noisy7\"");
            assertThat(receiver.reads.get()).isEqualTo(1);
        }
    }

    @Test
    void aClientGetsTheHeadersAndTheFirstBytesWhileTheBuildIsStillReading() throws Exception {
        try (Counted receiver = Counted.start(b -> b.snapshotMaxAge(Duration.ofNanos(1)))) {
            receiver.createNoisyUsers(4);
            HttpResponse<InputStream> streaming = streamHeldMidway(receiver);
            assertThat(streaming.headers().firstValue("X-Scimitar-Version")).isPresent();
            InputStream in = streaming.body();
            // The read is held halfway through the users: these bytes come from a build still running.
            byte[] early = in.readNBytes(SnapshotResponse.CHUNK_BYTES);
            assertThat(early).hasSize(SnapshotResponse.CHUNK_BYTES);
            assertThat(receiver.shared().waiting()).isZero();
            receiver.midway.release();
            byte[] body = concat(early, in.readAllBytes());

            HttpResponse<byte[]> fresh = receiver.gzipSnapshot();
            assertThat(receiver.reads.get()).isEqualTo(2);
            assertThat(body).isEqualTo(fresh.body());
            assertThat(gunzip(body)).contains("\"userName\":\"noisy3\"").endsWith("\"memberships\":0}\n");
        }
    }

    @Test
    void aRequestJoiningMidBuildGetsTheWholeIdenticalBody() throws Exception {
        try (Counted receiver = Counted.start(b -> b)) {
            receiver.createNoisyUsers(4);
            HttpResponse<InputStream> streaming = streamHeldMidway(receiver);
            InputStream in = streaming.body();
            byte[] early = in.readNBytes(SnapshotResponse.CHUNK_BYTES);
            CompletableFuture<HttpResponse<byte[]>> joining = receiver.gzipSnapshotAsync();
            Await.until(() -> receiver.shared().waiting() == 1);
            receiver.midway.release();

            byte[] first = concat(early, in.readAllBytes());
            HttpResponse<byte[]> joined = joining.get(10, TimeUnit.SECONDS);
            assertThat(joined.statusCode()).isEqualTo(200);
            assertThat(joined.headers().firstValue("X-Scimitar-Version"))
                    .isEqualTo(streaming.headers().firstValue("X-Scimitar-Version"));
            assertThat(joined.body()).isEqualTo(first);
            assertThat(gunzip(first)).contains("\"userName\":\"noisy3\"").endsWith("\"memberships\":0}\n");
            assertThat(receiver.reads.get()).isEqualTo(1);
        }
    }

    @Test
    void aFailureMidBuildCutsTheClientsStreamingItAndTheNextRequestBuildsAgain() throws Exception {
        try (Counted receiver = Counted.start(b -> b)) {
            receiver.createNoisyUsers(4);
            receiver.failMidway.set(true);
            HttpResponse<InputStream> streaming = streamHeldMidway(receiver);
            InputStream in = streaming.body();
            assertThat(in.readNBytes(SnapshotResponse.CHUNK_BYTES)).hasSize(SnapshotResponse.CHUNK_BYTES);
            receiver.midway.release();

            // The connection ends before the chunked body does: the client cannot take it for a whole snapshot.
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
            HttpResponse<byte[]> retried = receiver.gzipSnapshot();
            assertThat(retried.statusCode()).isEqualTo(200);
            assertThat(gunzip(retried.body())).contains("\"userName\":\"noisy3\"").endsWith("\"memberships\":0}\n");
            assertThat(receiver.reads.get()).isEqualTo(2);
        }
    }

    @Test
    void theCapPassedMidBuildCutsTheClientsStreamingItAndLaterRequestsStreamLive() throws Exception {
        // Four users of ~130 KiB of gzip each: the cap passes after the read is let go, at the third.
        try (Counted receiver = Counted.start(b -> b.snapshotCacheBytes(320 * 1024))) {
            receiver.createNoisyUsers(4);
            HttpResponse<InputStream> streaming = streamHeldMidway(receiver);
            InputStream in = streaming.body();
            assertThat(in.readNBytes(SnapshotResponse.CHUNK_BYTES)).hasSize(SnapshotResponse.CHUNK_BYTES);
            receiver.midway.release();

            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
            HttpResponse<byte[]> first = receiver.gzipSnapshot();
            HttpResponse<byte[]> second = receiver.gzipSnapshot();
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(gunzip(second.body())).isEqualTo(gunzip(first.body())).contains("\"userName\":\"noisy3\"");
            // The capped build, then one live read per request.
            assertThat(receiver.reads.get()).isEqualTo(3);
        }
    }

    /** A gzip snapshot whose build is held midway (chunks already out): the response, its headers in, status 200. */
    private static HttpResponse<InputStream> streamHeldMidway(Counted receiver) throws Exception {
        receiver.midway.hold();
        HttpResponse<InputStream> streaming = receiver.gzipSnapshotStream();
        receiver.midway.awaitEntered();
        assertThat(streaming.statusCode()).isEqualTo(200);
        return streaming;
    }

    private static byte[] concat(byte[] head, byte[] tail) {
        byte[] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private static long version(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return Long.parseLong(response.headers().firstValue("X-Scimitar-Version").orElseThrow());
    }

    private static String gunzip(byte[] body) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A receiver whose snapshot reads are counted, can be held at their start or halfway (before the
     * third user), and can be made to fail once at either point.
     */
    private static final class Counted implements AutoCloseable {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicBoolean failNext = new AtomicBoolean();
        final AtomicBoolean failMidway = new AtomicBoolean();
        final Gate gate = new Gate();
        final Gate midway = new Gate();
        final FeedFixture fixture;

        private Counted(UnaryOperator<FeedSettings.Builder> settings) {
            fixture = FeedFixture.withFeed(directory -> {
                JdbcStore store = directory.store();
                return Feed.on(settings.apply(FeedSettings.builder(BearerTokens.of(FeedFixture.FEED_TOKEN))).build(),
                        store.changeLog(), visitor -> {
                            reads.incrementAndGet();
                            gate.pass();
                            if (failNext.getAndSet(false)) {
                                throw new StoreUnavailableException("the test's store is down", null);
                            }
                            store.streamSnapshot(new JdbcStore.SnapshotVisitor() {
                                private int users;

                                @Override
                                public void version(long version) {
                                    visitor.version(version);
                                }

                                @Override
                                public void group(ObjectNode group) {
                                    visitor.group(group);
                                }

                                @Override
                                public void user(ObjectNode user, List<String> groupIds) {
                                    if (++users == 3) {
                                        midway.pass();
                                        if (failMidway.getAndSet(false)) {
                                            throw new StoreUnavailableException("the test's store went down", null);
                                        }
                                    }
                                    visitor.user(user, groupIds);
                                }
                            });
                        });
            });
        }

        /** Users of 128 KiB of random text each, which hardly compresses: ~130 KiB of gzip per user. */
        void createNoisyUsers(int count) {
            Random random = new Random(11);
            for (int i = 0; i < count; i++) {
                byte[] noise = new byte[128 * 1024];
                random.nextBytes(noise);
                fixture.directory.createUser(Directory.object("""
                        {"schemas":["%s"],"userName":"noisy%d","externalId":"%s"}""".formatted(Directory.USER_SCHEMA, i,
                        Base64.getEncoder().encodeToString(noise))));
            }
        }

        static Counted start(UnaryOperator<FeedSettings.Builder> settings) {
            return new Counted(settings);
        }

        SharedSnapshot shared() {
            return fixture.feed.live().orElseThrow().shared();
        }

        CompletableFuture<HttpResponse<byte[]>> gzipSnapshotAsync() {
            return fixture.client.sendAsync(fixture.feedRequest("/feed/v1/snapshot").header("Accept-Encoding", "gzip")
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        }

        /** Returns once the response headers are in; the body is read as it arrives. */
        HttpResponse<InputStream> gzipSnapshotStream() {
            return fixture.send(fixture.feedRequest("/feed/v1/snapshot").header("Accept-Encoding", "gzip").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        }

        HttpResponse<byte[]> gzipSnapshot() {
            return fixture.send(fixture.feedRequest("/feed/v1/snapshot").header("Accept-Encoding", "gzip").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }

        @Override
        public void close() {
            gate.release();
            midway.release();
            fixture.close();
        }
    }

    /** Holds a snapshot read at its start until the test lets it go. */
    private static final class Gate {
        private final CountDownLatch entered = new CountDownLatch(1);
        private volatile CountDownLatch open = new CountDownLatch(0);

        void hold() {
            open = new CountDownLatch(1);
        }

        void pass() {
            entered.countDown();
            try {
                if (!open.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the snapshot read");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void awaitEntered() throws InterruptedException {
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("a snapshot read started").isTrue();
        }

        void release() {
            open.countDown();
        }
    }
}
