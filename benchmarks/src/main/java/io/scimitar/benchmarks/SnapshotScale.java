package io.scimitar.benchmarks;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.cli.ReceiverLauncher;
import io.scimitar.cli.RunningReceiver;
import io.scimitar.cli.RunningSidecar;
import io.scimitar.cli.SidecarLauncher;
import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import io.scimitar.demo.DemoIdentityProvider;
import io.scimitar.demo.SampleApp;
import io.scimitar.feed.FeedClient;
import io.scimitar.feed.SnapshotReader;
import io.scimitar.index.IndexBuilder;
import io.scimitar.index.MembershipIndex;
import io.scimitar.index.UserKey;
import io.scimitar.scim.feed.FeedSettings;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.store.ChangeCodec;
import io.scimitar.scim.store.JdbcStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPInputStream;
import javax.management.ObjectName;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Issue 4's scale requirement: a sidecar in feed mode with 100,000 users, 10,000 groups and
 * 2,000,000 memberships loads its snapshot in a few seconds and holds it in well under 500 MB of
 * heap. {@code populate} writes such a directory straight into a SQLite store's tables (one
 * transaction, the rows the store itself would write; SCIM over HTTP would take hours); {@code
 * measure} serves it from one receiver, checks the snapshot on the wire, times R sidecars loading
 * it one after the other, then measures the heap the last sidecar's index retains. {@code storm}
 * is a fleet deploy: N sidecars start at once against one receiver; it reports the time until the
 * last holds every user and how many snapshot requests the receiver refused with 503.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.scimitar.benchmarks.SnapshotScale populate DB [users groups memberships]
 * java -cp benchmarks/target/benchmarks.jar io.scimitar.benchmarks.SnapshotScale measure DB [runs]
 * java -cp benchmarks/target/benchmarks.jar io.scimitar.benchmarks.SnapshotScale storm DB sidecars
 * </pre>
 */
public final class SnapshotScale {

    private static final String FEED_TOKEN = "bench-feed-token-0123456789abcdef";
    private static final String SCIM_TOKEN = "bench-scim-token-0123456789abcdef";
    private static final Duration BOUND = Duration.ofMinutes(2);

    private SnapshotScale() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException(
                    "usage: SnapshotScale populate DB [users groups memberships] | measure DB [runs] | storm DB sidecars");
        }
        Path db = Path.of(args[1]);
        switch (args[0]) {
            case "populate" -> populate(db, args.length > 2 ? Integer.parseInt(args[2]) : 100_000,
                    args.length > 3 ? Integer.parseInt(args[3]) : 10_000,
                    args.length > 4 ? Integer.parseInt(args[4]) : 2_000_000);
            case "measure" -> measure(db, args.length > 2 ? Integer.parseInt(args[2]) : 5);
            case "storm" -> storm(db, args.length > 2 ? Integer.parseInt(args[2]) : 20);
            default -> throw new IllegalArgumentException("unknown mode " + args[0] + ": expected populate, measure or storm");
        }
        System.exit(0);
    }

    /**
     * Creates the store (Flyway's schema, by opening it once), then writes users, groups and
     * memberships in one transaction, plus one change-log row so the directory is at version 1.
     * Group 0 ("everyone") holds every user, like an all-staff group; each user's other memberships
     * go to distinct groups spread over the rest.
     */
    private static void populate(Path db, int users, int groups, int memberships)
            throws IOException, SQLException {
        if (Files.exists(db)) {
            throw new IllegalArgumentException(db + " exists: populate writes a new store");
        }
        int perUser = memberships / users - 1;
        if (memberships % users != 0 || perUser < 0 || perUser > groups - 1) {
            throw new IllegalArgumentException("memberships must be a multiple of users, at most users × groups");
        }
        long start = System.nanoTime();
        JdbcStore.openSqlite(db, true, Clock.systemUTC()).close();
        Random random = new Random(42);
        String[] userIds = new String[users];
        String[] groupIds = new String[groups];
        for (int i = 0; i < users; i++) {
            userIds[i] = new UUID(random.nextLong(), random.nextLong()).toString();
        }
        for (int g = 0; g < groups; g++) {
            groupIds[g] = new UUID(random.nextLong(), random.nextLong()).toString();
        }
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            connection.setAutoCommit(false);
            try (PreparedStatement st = connection.prepareStatement("""
                    INSERT INTO users (id, user_name, user_name_lower, external_id, active, version, created,
                    last_modified, resource) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)""")) {
                for (int i = 0; i < users; i++) {
                    String userName = String.format("user%06d@example.com", i);
                    String externalId = String.format("00u%017d", i);
                    boolean active = i % 50 != 0;
                    ObjectNode user = Json.object();
                    user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
                    user.put("id", userIds[i]);
                    user.put("externalId", externalId);
                    user.put("userName", userName);
                    user.putObject("name").put("givenName", "Given" + i).put("familyName", "Family" + i);
                    user.put("displayName", "Given" + i + " Family" + i);
                    user.putArray("emails").addObject().put("value", userName).put("type", "work").put("primary", true);
                    user.put("active", active);
                    meta(user, "User", now);
                    st.setString(1, userIds[i]);
                    st.setString(2, userName);
                    st.setString(3, userName);
                    st.setString(4, externalId);
                    st.setLong(5, active ? 1 : 0);
                    st.setString(6, now);
                    st.setString(7, now);
                    st.setString(8, Json.MAPPER.writeValueAsString(user));
                    st.addBatch();
                }
                st.executeBatch();
            }
            try (PreparedStatement st = connection.prepareStatement("""
                    INSERT INTO groups (id, display_name, display_name_lower, external_id, version, created,
                    last_modified, resource) VALUES (?, ?, ?, ?, 1, ?, ?, ?)""")) {
                for (int g = 0; g < groups; g++) {
                    String name = g == 0 ? "everyone" : String.format("team-%05d", g);
                    String externalId = String.format("00g%017d", g);
                    ObjectNode group = Json.object();
                    group.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
                    group.put("id", groupIds[g]);
                    group.put("externalId", externalId);
                    group.put("displayName", name);
                    meta(group, "Group", now);
                    st.setString(1, groupIds[g]);
                    st.setString(2, name);
                    st.setString(3, name);
                    st.setString(4, externalId);
                    st.setString(5, now);
                    st.setString(6, now);
                    st.setString(7, Json.MAPPER.writeValueAsString(group));
                    st.addBatch();
                }
                st.executeBatch();
            }
            try (PreparedStatement st = connection.prepareStatement(
                    "INSERT INTO group_members (group_id, member_id, member_type) VALUES (?, ?, 'User')")) {
                int stride = (groups - 1) / Math.max(1, perUser);
                for (int i = 0; i < users; i++) {
                    member(st, groupIds[0], userIds[i]);
                    for (int k = 0; k < perUser; k++) {
                        // Distinct groups: k·stride < groups - 1 for every k < perUser, so no two offsets meet.
                        member(st, groupIds[1 + (int) (((long) i * 7 + (long) k * stride) % (groups - 1))], userIds[i]);
                    }
                    if (i % 10_000 == 9_999) {
                        st.executeBatch();
                    }
                }
                st.executeBatch();
            }
            try (PreparedStatement st = connection.prepareStatement(
                    "INSERT INTO change_log (version, committed_at, events) VALUES (1, ?, ?)")) {
                st.setString(1, now);
                st.setString(2, ChangeCodec.encodeEvents(List.of()));
                st.executeUpdate();
            }
            connection.commit();
        }
        System.out.printf("populated %s: %d users, %d groups, %d memberships in %.1f s, %d MB on disk%n", db, users,
                groups, memberships, (System.nanoTime() - start) / 1e9, Files.size(db) >> 20);
    }

    private static void member(PreparedStatement st, String groupId, String userId) throws SQLException {
        st.setString(1, groupId);
        st.setString(2, userId);
        st.addBatch();
    }

    private static void meta(ObjectNode resource, String type, String now) {
        resource.putObject("meta").put("resourceType", type).put("created", now).put("lastModified", now)
                .put("version", "W/\"1\"");
    }

    private static void measure(Path db, int runs) throws Exception {
        Counts expected = counts(db);
        var receiverConfig = new ConfigLoader(Map.of("SCIMITAR_SCIM_LISTEN", "127.0.0.1:0",
                "SCIMITAR_SCIM_TOKEN", SCIM_TOKEN, "SCIMITAR_FEED_TOKEN", FEED_TOKEN, "SCIMITAR_STORE", "sqlite:" + db))
                .load(Optional.empty(), Profile.RECEIVER);
        long receiverStart = System.nanoTime();
        RunningReceiver receiver = new ReceiverLauncher(ReceiverLauncher::openJdbc).start(receiverConfig, List.of());
        System.out.printf("receiver up in %.1f s (it loads the directory into its own view)%n",
                (System.nanoTime() - receiverStart) / 1e9);
        String base = receiver.feedUrl();
        byte[] gzipped = wire(base, expected);
        for (int run = 1; run <= runs; run++) {
            long start = System.nanoTime();
            MembershipIndex built = build(gzipped);
            System.out.printf("sidecar side alone, run %d: gunzip, parse and build from memory in %.2f s (%d users)%n", run,
                    (System.nanoTime() - start) / 1e9, built.userCount());
        }
        gzipped = null;

        DemoIdentityProvider idp = DemoIdentityProvider.start();
        SampleApp app = SampleApp.start();
        Path policy = Files.writeString(Files.createTempDirectory("scimitar-scale").resolve("policy.yaml"),
                "roles:\n  staff: [everyone]\nroutes:\n  - path: /api/**\n    allow: [staff]\n");
        var env = new HashMap<String, String>(Map.of("SCIMITAR_LISTEN", "127.0.0.1:0",
                "SCIMITAR_ADMIN_LISTEN", "127.0.0.1:0", "SCIMITAR_UPSTREAM", app.url().toString(),
                "SCIMITAR_POLICY", policy.toString(), "SCIMITAR_AUTH_JWKS_URL", idp.jwksUrl().toString(),
                "SCIMITAR_AUTH_ISSUER", idp.issuer().toString(), "SCIMITAR_AUTH_AUDIENCE", DemoIdentityProvider.AUDIENCE,
                "SCIMITAR_FEED_URLS", base, "SCIMITAR_FEED_TOKEN", FEED_TOKEN));
        var sidecarConfig = new ConfigLoader(env).load(Optional.empty(), Profile.PROXY);
        SidecarLauncher launcher = new SidecarLauncher(ReceiverLauncher::openJdbc);
        RunningSidecar sidecar = null;
        for (int run = 1; run <= runs; run++) {
            // Each run's first sidecar makes the receiver build a snapshot afresh (the one shared before
            // it is past its age bound by then); a second one right after is served the shared copy.
            LockSupport.parkNanos(FeedSettings.DEFAULT_SNAPSHOT_MAX_AGE.plusSeconds(1).toNanos());
            for (String served : List.of("built afresh", "shared")) {
                if (sidecar != null) {
                    sidecar.close();
                }
                long start = System.nanoTime();
                sidecar = launcher.start(sidecarConfig, List.of());
                long started = System.nanoTime();
                MembershipIndex loaded = awaitLoaded(sidecar, expected);
                long done = System.nanoTime();
                System.out.printf("run %d, snapshot %s: sidecar started in %.2f s, snapshot loaded %.2f s after start()"
                                + " (%d users, %d groups, version %d)%n", run, served, (started - start) / 1e9,
                        (done - start) / 1e9, loaded.userCount(), loaded.groupCount(), loaded.version());
            }
        }

        // Heap: keep only the last sidecar's index. The sidecar's own heap first (with the receiver gone).
        // Locals are GC roots while this frame runs: drop each reference once its object is closed.
        receiver.close();
        receiver = null;
        app.close();
        app = null;
        idp.close();
        idp = null;
        launcher = null;
        System.out.printf("heap used, the sidecar running with its index (receiver closed): %d MB%n", usedAfterGc() >> 20);
        MembershipIndex index = sidecar.directory().current();
        sidecar.close();
        sidecar = null;
        long with = usedAfterGc();
        String histogram = histogram();
        System.out.printf("heap used holding only the index (version %d, %d users): %d MB%n", index.version(),
                index.userCount(), with >> 20);
        index = null;
        long without = usedAfterGc();
        System.out.printf("heap used without it: %d MB -> the index retains %d MB%n", without >> 20, (with - without) >> 20);
        System.out.println("top of the class histogram while holding the index:");
        histogram.lines().limit(18).forEach(System.out::println);
    }

    /** Sidecars at once, at most: each holds its own index (84 MB at 100,000 users) in this one JVM. */
    private static final int MAX_STORM = 200;

    /**
     * A fleet deploy: {@code sidecars} feed-mode sidecars start at the same moment (one thread each,
     * released by one latch) against one receiver serving {@code db}. Reports the time from that
     * moment to the last sidecar holding every user, and the snapshot requests refused with 503
     * (counted from the sidecars' {@code feed_failed} log events, which carry the status).
     */
    private static void storm(Path db, int sidecars) throws Exception {
        check(sidecars > 0 && sidecars <= MAX_STORM, "sidecars must be 1.." + MAX_STORM + ", was " + sidecars);
        Counts expected = counts(db);
        var receiverConfig = new ConfigLoader(Map.of("SCIMITAR_SCIM_LISTEN", "127.0.0.1:0",
                "SCIMITAR_SCIM_TOKEN", SCIM_TOKEN, "SCIMITAR_FEED_TOKEN", FEED_TOKEN, "SCIMITAR_STORE", "sqlite:" + db))
                .load(Optional.empty(), Profile.RECEIVER);
        RunningReceiver receiver = new ReceiverLauncher(ReceiverLauncher::openJdbc).start(receiverConfig, List.of());
        DemoIdentityProvider idp = DemoIdentityProvider.start();
        SampleApp app = SampleApp.start();
        Path policy = Files.writeString(Files.createTempDirectory("scimitar-storm").resolve("policy.yaml"),
                "roles:\n  staff: [everyone]\nroutes:\n  - path: /api/**\n    allow: [staff]\n");
        var sidecarConfig = new ConfigLoader(Map.of("SCIMITAR_LISTEN", "127.0.0.1:0",
                "SCIMITAR_ADMIN_LISTEN", "127.0.0.1:0", "SCIMITAR_UPSTREAM", app.url().toString(),
                "SCIMITAR_POLICY", policy.toString(), "SCIMITAR_AUTH_JWKS_URL", idp.jwksUrl().toString(),
                "SCIMITAR_AUTH_ISSUER", idp.issuer().toString(), "SCIMITAR_AUTH_AUDIENCE", DemoIdentityProvider.AUDIENCE,
                "SCIMITAR_FEED_URLS", receiver.feedUrl(), "SCIMITAR_FEED_TOKEN", FEED_TOKEN)).load(Optional.empty(), Profile.PROXY);
        SidecarLauncher launcher = new SidecarLauncher(ReceiverLauncher::openJdbc);
        RefusalCounter refusals = RefusalCounter.attach();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<RunningSidecar>> started = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < sidecars; i++) {
            CompletableFuture<RunningSidecar> sidecar = new CompletableFuture<>();
            started.add(sidecar);
            threads.add(Thread.ofPlatform().name("storm-" + i).start(() -> {
                try {
                    go.await();
                    sidecar.complete(launcher.start(sidecarConfig, List.of()));
                } catch (Exception e) {
                    sidecar.completeExceptionally(e);
                }
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        List<RunningSidecar> running = new ArrayList<>();
        double[] loaded = new double[sidecars];
        for (int i = 0; i < sidecars; i++) {
            running.add(started.get(i).get(BOUND.toSeconds(), TimeUnit.SECONDS));
        }
        for (int i = 0; i < sidecars; i++) {
            awaitLoaded(running.get(i), expected);
            loaded[i] = (System.nanoTime() - start) / 1e9;
        }
        double last = Arrays.stream(loaded).max().orElseThrow();
        System.out.printf("storm: %d sidecars started at once; the last held all %d users %.2f s after the start"
                        + " (first %.2f s, median %.2f s); the receiver refused %d snapshot requests with 503%n",
                sidecars, expected.users, last, Arrays.stream(loaded).min().orElseThrow(),
                Arrays.stream(loaded).sorted().toArray()[sidecars / 2], refusals.count());
        for (RunningSidecar sidecar : running) {
            sidecar.close();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        receiver.close();
        app.close();
        idp.close();
    }

    /** Counts the sidecars' {@code feed_failed} events whose reason is a 503 from the receiver. */
    private static final class RefusalCounter extends AppenderBase<ILoggingEvent> {
        private final AtomicInteger count = new AtomicInteger();

        static RefusalCounter attach() {
            RefusalCounter counter = new RefusalCounter();
            Logger logger = (Logger) LoggerFactory.getLogger(FeedClient.class);
            counter.setContext(logger.getLoggerContext());
            counter.start();
            logger.addAppender(counter);
            return counter;
        }

        @Override
        protected void append(ILoggingEvent event) {
            List<KeyValuePair> pairs = event.getKeyValuePairs();
            if (pairs != null && pairs.stream().anyMatch(p -> p.key.equals("reason")
                    && String.valueOf(p.value).contains(" answered 503"))) {
                count.incrementAndGet();
            }
        }

        int count() {
            return count.get();
        }
    }

    /** The snapshot as served: its sizes with and without gzip, and the {@code end} line's counts checked against the store. */
    private static byte[] wire(String base, Counts expected) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/feed/v1/snapshot"))
                .header("Authorization", "Bearer " + FEED_TOKEN).timeout(BOUND);
        long start = System.nanoTime();
        HttpResponse<byte[]> gzipped = http.send(request.copy().header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        double gzipSeconds = (System.nanoTime() - start) / 1e9;
        check(gzipped.statusCode() == 200 && gzipped.headers().firstValue("Content-Encoding").orElse("").equals("gzip"),
                "the gzip snapshot answered " + gzipped.statusCode() + " " + gzipped.headers().map());
        long plainLength;
        long lines = 0;
        String last = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body())), StandardCharsets.UTF_8))) {
            long chars = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                chars += line.length() + 1;
                lines++;
                last = line;
            }
            plainLength = chars;
        }
        start = System.nanoTime();
        HttpResponse<InputStream> plain = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        long plainBytes;
        try (InputStream body = plain.body()) {
            plainBytes = body.transferTo(java.io.OutputStream.nullOutputStream());
        }
        double plainSeconds = (System.nanoTime() - start) / 1e9;
        JsonNode end = Json.MAPPER.readTree(last);
        check(end.path("type").asText().equals("end") && end.path("users").asLong() == expected.users
                        && end.path("groups").asLong() == expected.groups
                        && end.path("memberships").asLong() == expected.memberships && plainBytes == plainLength,
                "the snapshot's end line " + last + " (plain " + plainBytes + " B, gunzipped " + plainLength
                        + " B) does not match the store's " + expected);
        System.out.printf("snapshot on the wire: %s; %d lines, %.1f MB plain (%.2f s to read), %.1f MB gzip (%.2f s to read)%n",
                last, lines, plainBytes / 1e6, plainSeconds, gzipped.body().length / 1e6, gzipSeconds);
        return gzipped.body();
    }

    /**
     * What the sidecar's feed client does with a snapshot body (gunzip, one JSON object per line,
     * into an {@link IndexBuilder}), without the receiver: the client's share of the load time.
     */
    private static MembershipIndex build(byte[] gzipped) throws IOException {
        try (var body = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped), 64 * 1024)) {
            return SnapshotReader.read(body, new IndexBuilder(UserKey.forAttribute("userName")));
        }
    }

    private static MembershipIndex awaitLoaded(RunningSidecar sidecar, Counts expected) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            MembershipIndex current = sidecar.directory().current();
            if (current.userCount() == expected.users) {
                check(current.groupCount() == expected.groups, "the sidecar holds " + current.groupCount()
                        + " groups, the store " + expected.groups);
                return current;
            }
            check(System.nanoTime() < deadline, "the sidecar did not load the snapshot within " + BOUND);
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Heap in use after full collections, repeated until it stops falling. */
    private static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used && i >= 2) {
                return now;
            }
            used = Math.min(used, now);
        }
        return used;
    }

    private static String histogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    private record Counts(long users, long groups, long memberships) {
    }

    private static Counts counts(Path db) throws SQLException {
        check(Files.exists(db), db + " does not exist: run populate first");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM groups),"
                     + " (SELECT COUNT(*) FROM group_members)")) {
            rs.next();
            return new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException(failure);
        }
    }
}
