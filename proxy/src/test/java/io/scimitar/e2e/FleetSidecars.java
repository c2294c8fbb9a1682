package io.scimitar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import io.scimitar.authn.KeyServer;
import io.scimitar.authn.Tokens;
import io.scimitar.cli.ReceiverLauncher;
import io.scimitar.cli.RunningReceiver;
import io.scimitar.cli.RunningSidecar;
import io.scimitar.cli.SidecarLauncher;
import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import io.scimitar.index.DirectoryGroup;
import io.scimitar.index.MembershipIndex;
import io.scimitar.scim.http.RunningScimServer;
import io.scimitar.scim.testing.Await;
import io.scimitar.testing.RawClient;
import io.scimitar.testing.RecordingApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

/**
 * The parts around sidecars in feed mode for the fleet and feed tests: an upstream app, an identity
 * provider, and sidecars started through {@link SidecarLauncher} as {@code scimitar proxy} starts
 * them; with requests signed for any user and the directory a sidecar holds, written out so that two
 * directories can be compared whatever their group ordinals.
 */
final class FleetSidecars implements AutoCloseable {

    static final String SCIM_TOKEN = "fleet-scim-token-0123456789abcdef";
    static final String FEED_TOKEN = "fleet-feed-token-0123456789abcdef";

    /**
     * HTTP/1.1: the JDK client would otherwise upgrade to h2c, and a request in flight on an HTTP/2
     * connection while its user is revoked has its connection closed (by design: LiveConnections)
     * instead of getting its 403.
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final RSAKey key = Tokens.rsa("fleet-failure-key");
    private final List<RunningSidecar> started = new ArrayList<>();
    private final Path policy;
    private final RecordingApp app;
    private final KeyServer idp;

    FleetSidecars(Path dir) throws IOException {
        this(dir, SidecarFixture.POLICY);
    }

    /** With {@code policyYaml} as every sidecar's policy. */
    FleetSidecars(Path dir, String policyYaml) throws IOException {
        policy = Files.writeString(dir.resolve("policy.yaml"), policyYaml);
        app = new RecordingApp();
        idp = new KeyServer();
        idp.publish(List.of(key));
    }

    /** A receiver in this JVM on {@code store}, listening at {@code listen} (e.g. {@code 127.0.0.1:0}). */
    static RunningReceiver receiver(String store, String listen) {
        var config = new ConfigLoader(Map.of("SCIMITAR_SCIM_LISTEN", listen, "SCIMITAR_SCIM_TOKEN", SCIM_TOKEN,
                "SCIMITAR_FEED_TOKEN", FEED_TOKEN, "SCIMITAR_STORE", store)).load(Optional.empty(), Profile.RECEIVER);
        return new ReceiverLauncher(ReceiverLauncher::openJdbc).start(config, List.of());
    }

    /**
     * A sidecar following {@code feedUrls} (receivers' base URLs, in the order it tries them), with
     * {@code overrides} over its default environment.
     */
    RunningSidecar start(List<String> feedUrls, Map<String, String> overrides) {
        var env = new HashMap<String, String>();
        env.put("SCIMITAR_LISTEN", "127.0.0.1:0");
        env.put("SCIMITAR_ADMIN_LISTEN", "127.0.0.1:0");
        env.put("SCIMITAR_UPSTREAM", "http://127.0.0.1:" + app.port());
        env.put("SCIMITAR_POLICY", policy.toString());
        env.put("SCIMITAR_AUTH_JWKS_URL", idp.jwksUrl().toString());
        env.put("SCIMITAR_AUTH_ISSUER", Tokens.ISSUER);
        env.put("SCIMITAR_AUTH_AUDIENCE", Tokens.AUDIENCE);
        env.put("SCIMITAR_FEED_URLS", String.join(",", feedUrls));
        env.put("SCIMITAR_FEED_TOKEN", FEED_TOKEN);
        env.putAll(overrides);
        var config = new ConfigLoader(env).load(Optional.empty(), Profile.PROXY);
        RunningSidecar sidecar = new SidecarLauncher(ReceiverLauncher::openJdbc).start(config, List.of());
        started.add(sidecar);
        return sidecar;
    }

    /**
     * Starts a sidecar following {@code feedUrls} and records every swap of its directory into
     * {@code swaps}, in order: a snapshot as "reset V", a change as "V".
     */
    RunningSidecar startRecording(List<String> feedUrls, List<String> swaps) {
        RunningSidecar sidecar = start(feedUrls, Map.of());
        sidecar.directory().addListener(update -> {
            if (update.changed()) {
                swaps.add((update.everyUser() ? "reset " : "") + update.current().version());
            }
        });
        return sidecar;
    }

    /**
     * Starts {@code count} sidecars following {@code feedUrls}, each recording its swaps as
     * {@link #startRecording(List, List)} does into a list appended to {@code swaps}.
     */
    List<RunningSidecar> startRecording(List<String> feedUrls, int count, List<List<String>> swaps) {
        var sidecars = new ArrayList<RunningSidecar>();
        for (int i = 0; i < count; i++) {
            List<String> seen = new CopyOnWriteArrayList<>();
            sidecars.add(startRecording(feedUrls, seen));
            swaps.add(seen);
        }
        return sidecars;
    }

    /** A GET of a route allowed to role engineers (group eng), as the user with this email. */
    String request(String email) {
        return RawClient.get("/api/things", List.of("Authorization: Bearer " + token(email)));
    }

    /** A fresh token for the user with this email, signed by the identity provider's key. */
    String token(String email) {
        return Tokens.sign(key, Tokens.claims(Instant.now()).claim("email", email).build());
    }

    /** A GET of {@code path} through {@code sidecar}, as the user with this email. */
    HttpResponse<String> get(RunningSidecar sidecar, String path, String email) {
        return send(HttpRequest.newBuilder(URI.create(sidecar.url() + path))
                .header("Authorization", "Bearer " + token(email)).build());
    }

    /** The status {@code sidecar} answers {@code request} with. */
    static int answer(RunningSidecar sidecar, String request) {
        try (var client = new RawClient(sidecar.port())) {
            return client.exchange(request).status();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sidecar's {@code /readyz} answer, as status and body. */
    HttpResponse<String> readyz(RunningSidecar sidecar) {
        return admin(sidecar, "/readyz");
    }

    /** A GET of {@code path} on the sidecar's admin listener. */
    HttpResponse<String> admin(RunningSidecar sidecar, String path) {
        return send(HttpRequest.newBuilder(URI.create(sidecar.adminUrl() + path)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        return RunningScimServer.send(http, request, HttpResponse.BodyHandlers.ofString());
    }

    /** Every user (active flag, groups by name) and group of {@code index}, one sorted line each, and its version. */
    static List<String> contents(MembershipIndex index) {
        var lines = new TreeSet<String>();
        index.forEachUser(user -> {
            var groups = new TreeSet<String>();
            for (int ordinal : user.groupOrdinals()) {
                groups.add(index.displayName(ordinal));
            }
            lines.add("user " + user.id() + " " + user.userName() + " active=" + user.active() + " groups=" + groups);
        });
        index.forEachGroup((DirectoryGroup group) -> lines.add("group " + group.id() + " " + group.displayName()
                + " members=" + group.memberCount()));
        var all = new ArrayList<String>();
        all.add("version " + index.version());
        all.addAll(lines);
        return all;
    }

    /** Waits, within {@code bound} for each, until every one of {@code sidecars} holds {@code version} or later. */
    static void awaitVersion(List<RunningSidecar> sidecars, long version, Duration bound) {
        for (RunningSidecar sidecar : sidecars) {
            Await.until(bound, () -> sidecar.directory().current().version() >= version,
                    () -> "sidecar on port " + sidecar.port() + " is at version " + sidecar.directory().current().version()
                            + ", not " + version);
        }
    }

    /**
     * Asserts that sidecar {@code index}'s recorded {@code swaps} hold each change 1 to {@code lastVersion}
     * once, in order (nothing missed or repeated), and no snapshot but possibly the first.
     */
    static void assertEachChangeOnce(List<String> swaps, long lastVersion, int index) {
        List<String> changes = LongStream.rangeClosed(1, lastVersion).mapToObj(Long::toString).toList();
        assertThat(swaps).as("sidecar %d's swaps", index).filteredOn(s -> !s.startsWith("reset"))
                .containsExactlyElementsOf(changes);
        // The first snapshot (version 0) may land before the listener was added; no other ever may.
        assertThat(swaps).as("sidecar %d's swaps", index).filteredOn(s -> s.startsWith("reset"))
                .isSubsetOf("reset 0").doesNotHaveDuplicates();
    }

    /** A loopback port free right now, for a receiver that must come back at the same URL. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The feed's base URL of a receiver whose SCIM endpoints are at {@code scimUrl}. */
    static String base(String scimUrl) {
        return scimUrl.substring(0, scimUrl.length() - "/scim/v2".length());
    }

    @Override
    public void close() {
        started.forEach(RunningSidecar::close);
        idp.close();
        app.close();
    }
}
