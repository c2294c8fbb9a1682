package io.scimitar.benchmarks;

import io.scimitar.cli.ReceiverLauncher;
import io.scimitar.cli.RunningReceiver;
import io.scimitar.cli.RunningSidecar;
import io.scimitar.cli.SidecarLauncher;
import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import io.scimitar.demo.DemoIdentityProvider;
import io.scimitar.demo.SampleApp;
import io.scimitar.index.DirectoryUser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 4's revocation benchmark: the time from the SCIM response that deactivates a user (what
 * the IdP sees) until the last of N sidecars would deny them. All in one JVM on loopback: one
 * receiver on SQLite, or two receivers on one PostgreSQL database (the sidecars alternate which
 * one they follow first), N sidecars in feed mode, repeated R times with a fresh user each.
 * "Would deny" is the moment the sidecar's directory holds the user as inactive: the next request
 * decided after that is a 403 (checked over HTTP on one sidecar per repetition).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.scimitar.benchmarks.RevocationLatency N R [jdbc:postgresql://…]</pre>
 */
public final class RevocationLatency {

    private static final String SCIM_TOKEN = "bench-scim-token-0123456789abcdef";
    private static final String FEED_TOKEN = "bench-feed-token-0123456789abcdef";
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        int sidecars = Integer.parseInt(args[0]);
        int repetitions = Integer.parseInt(args[1]);
        Optional<String> postgres = args.length > 2 ? Optional.of(args[2]) : Optional.empty();
        new RevocationLatency().run(sidecars, repetitions, postgres);
        System.exit(0);
    }

    private void run(int count, int repetitions, Optional<String> postgres) throws Exception {
        Path dir = Files.createTempDirectory("scimitar-revocation");
        String store = postgres.orElse("sqlite:" + dir.resolve("directory.db"));
        var receiverConfig = new ConfigLoader(Map.of("SCIMITAR_SCIM_LISTEN", "127.0.0.1:0",
                "SCIMITAR_SCIM_TOKEN", SCIM_TOKEN, "SCIMITAR_FEED_TOKEN", FEED_TOKEN, "SCIMITAR_STORE", store))
                .load(Optional.empty(), Profile.RECEIVER);
        var receiverLauncher = new ReceiverLauncher(ReceiverLauncher::openJdbc);
        List<RunningReceiver> receivers = new ArrayList<>();
        receivers.add(receiverLauncher.start(receiverConfig, List.of()));
        if (postgres.isPresent()) {
            receivers.add(receiverLauncher.start(receiverConfig, List.of()));
        }
        DemoIdentityProvider idp = DemoIdentityProvider.start();
        SampleApp app = SampleApp.start();
        Path policy = Files.writeString(dir.resolve("policy.yaml"),
                "roles:\n  engineers: [eng]\nroutes:\n  - path: /api/**\n    allow: [engineers]\n");
        List<RunningSidecar> sidecars = new ArrayList<>();
        var launcher = new SidecarLauncher(ReceiverLauncher::openJdbc);
        for (int i = 0; i < count; i++) {
            List<String> urls = new ArrayList<>();
            for (int r = 0; r < receivers.size(); r++) {
                urls.add(receivers.get((i + r) % receivers.size()).feedUrl());
            }
            var env = new HashMap<String, String>(Map.of("SCIMITAR_LISTEN", "127.0.0.1:0",
                    "SCIMITAR_ADMIN_LISTEN", "127.0.0.1:0", "SCIMITAR_UPSTREAM", app.url().toString(),
                    "SCIMITAR_POLICY", policy.toString(), "SCIMITAR_AUTH_JWKS_URL", idp.jwksUrl().toString(),
                    "SCIMITAR_AUTH_ISSUER", idp.issuer().toString(), "SCIMITAR_AUTH_AUDIENCE", DemoIdentityProvider.AUDIENCE,
                    "SCIMITAR_FEED_URLS", String.join(",", urls), "SCIMITAR_FEED_TOKEN", FEED_TOKEN));
            sidecars.add(launcher.start(new ConfigLoader(env).load(Optional.empty(), Profile.PROXY), List.of()));
        }
        String scim = receivers.get(0).scimUrl();
        String group = id(send(scim + "/Groups", "POST",
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"eng\"}"));
        long[] latencies = new long[repetitions];
        for (int rep = 0; rep < repetitions; rep++) {
            String email = "user" + rep + "@example.com";
            String user = id(send(scim + "/Users", "POST", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                    + "\"userName\":\"" + email + "\"}"));
            send(scim + "/Groups/" + group, "PATCH", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + user + "\"}]}]}");
            awaitAll(sidecars, email, true);

            AtomicLongArray deniedAt = new AtomicLongArray(count);
            List<AutoCloseable> listeners = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int at = i;
                listeners.add(sidecars.get(i).directory().addListener(update -> {
                    Optional<DirectoryUser> now = update.current().userById(user);
                    if (now.isEmpty() || !now.get().active()) {
                        deniedAt.compareAndSet(at, 0, System.nanoTime());
                    }
                }));
            }
            send(scim + "/Users/" + user, "PATCH", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}");
            long answered = System.nanoTime();
            awaitAll(sidecars, email, false);
            long last = 0;
            for (int i = 0; i < count; i++) {
                last = Math.max(last, deniedAt.get(i));
            }
            latencies[rep] = last - answered;
            for (AutoCloseable listener : listeners) {
                listener.close();
            }
            int status = status(sidecars.get(rep % count).port(), idp.mint(email));
            if (status != 403) {
                throw new IllegalStateException("a deactivated user got " + status + " from a sidecar");
            }
        }
        report(count, repetitions, receivers.size(), postgres.isPresent(), latencies);
        for (RunningSidecar sidecar : sidecars) {
            sidecar.close();
        }
        for (RunningReceiver receiver : receivers) {
            receiver.close();
        }
        app.close();
        idp.close();
    }

    /** Spins, bounded, until every sidecar's directory holds {@code email} as active (or as inactive or gone). */
    private static void awaitAll(List<RunningSidecar> sidecars, String email, boolean active) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        for (RunningSidecar sidecar : sidecars) {
            while (sidecar.directory().current().user(email).map(DirectoryUser::active).orElse(false) != active) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a sidecar did not see " + email + " become "
                            + (active ? "active" : "inactive") + " within " + BOUND);
                }
                Thread.onSpinWait();
            }
        }
    }

    private static void report(int count, int repetitions, int receivers, boolean postgres, long[] latencies) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf("| %d sidecars | %d receiver%s (%s) | %d | %.1f | %.1f | %.1f | %.1f |%n", count, receivers,
                receivers == 1 ? "" : "s", postgres ? "PostgreSQL" : "SQLite", repetitions, millis(sorted, 0.50),
                millis(sorted, 0.90), millis(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double millis(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private String send(String url, String method, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + SCIM_TOKEN).header("Content-Type", "application/scim+json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).timeout(BOUND).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private int status(int port, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/x"))
                .header("Authorization", "Bearer " + token).timeout(BOUND).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String id(String json) {
        Matcher matcher = ID.matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no id in " + json);
        }
        return matcher.group(1);
    }
}
