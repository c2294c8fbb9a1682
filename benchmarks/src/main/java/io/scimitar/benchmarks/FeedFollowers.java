package io.scimitar.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.feed.Feed;
import io.scimitar.scim.feed.FeedSettings;
import io.scimitar.scim.feed.FeedStreams;
import io.scimitar.scim.http.BearerTokens;
import io.scimitar.scim.http.ScimServer;
import io.scimitar.scim.http.ScimServerSettings;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.DirectoryService;
import io.scimitar.scim.service.DirectorySettings;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.store.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How many change streams one receiver holds, and how long a change takes to reach the last of them:
 * a receiver (SQLite store, SCIM server with the feed) and N followers (a Netty client on two event
 * loops) in one JVM on loopback. Usage: {@code FeedFollowers [followers] [changes]}.
 */
public final class FeedFollowers {

    private static final String FEED_TOKEN = "feed-benchmark-token-0123456789";

    private FeedFollowers() {
    }

    public static void main(String[] args) throws Exception {
        int followers = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
        int changes = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path folder = Files.createTempDirectory("feed-followers-");
        JdbcStore store = JdbcStore.openSqlite(folder.resolve("directory.db"), true, Clock.systemUTC());
        DirectoryView view = DirectoryView.follow(store);
        DirectoryService service = new DirectoryService(store, view, new DirectorySettings(true, 1000));
        ScimServer server = new ScimServer(ScimServerSettings.builder(BearerTokens.of("scim-benchmark-token-0123456789"))
                .host("127.0.0.1").port(0).build(), service,
                Feed.on(FeedSettings.builder(BearerTokens.of(FEED_TOKEN)).build(), store)).start();
        long connectStart = System.nanoTime();
        try (FeedStreams streams = FeedStreams.open(server.port(), FEED_TOKEN, followers)) {
            if (!streams.awaitLive(120)) {
                throw new IllegalStateException(streams.notLive() + " of " + followers + " streams never went live");
            }
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            long heapMb = (runtime.totalMemory() - runtime.freeMemory()) >> 20;

            long[] micros = new long[changes];
            for (int v = 1; v <= changes; v++) {
                CountDownLatch reached = streams.expect(v);
                ObjectNode user = Json.object().put("userName", "user" + v + "@example.com");
                user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
                service.create(ResourceType.USER, user, Projection.DEFAULT);
                long committed = System.nanoTime();
                if (!reached.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("version " + v + " reached only "
                            + (followers - reached.getCount()) + " of " + followers + " followers");
                }
                micros[v - 1] = (streams.lastArrival() - committed) / 1_000;
            }
            Arrays.sort(micros);
            System.out.printf("followers=%d live_after=%.1fs heap_used_after_gc=%dMB (receiver and clients together)%n",
                    followers, connectSeconds, heapMb);
            System.out.printf("commit->last follower over %d changes: p50=%.1fms p90=%.1fms max=%.1fms; streams still open=%d%n",
                    changes, micros[changes / 2] / 1000.0, micros[(int) (changes * 0.9)] / 1000.0,
                    micros[changes - 1] / 1000.0, streams.open());
        } finally {
            server.close();
            view.close();
            store.close();
        }
    }
}
