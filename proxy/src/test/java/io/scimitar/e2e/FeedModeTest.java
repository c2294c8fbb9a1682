package io.scimitar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import io.scimitar.authn.KeyServer;
import io.scimitar.authn.Tokens;
import io.scimitar.cli.ReceiverLauncher;
import io.scimitar.cli.RunningSidecar;
import io.scimitar.cli.SidecarLauncher;
import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import io.scimitar.feed.Await;
import io.scimitar.feed.SourceDirectory;
import io.scimitar.feed.TestFeedServer;
import io.scimitar.testing.RecordingApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar in feed mode, started through {@link SidecarLauncher} as {@code scimitar proxy} starts
 * it, following a {@link TestFeedServer} (the stand-in for the receiver's feed) over loopback:
 * requests are decided from the fed directory, and a feed that goes quiet past the staleness bound
 * makes protected routes fail closed with 503 until its heartbeats come back.
 */
class FeedModeTest {

    private static final String POLICY = """
            roles:
              engineers: [eng]
            routes:
              - path: /api/**
                allow: [engineers]
              - path: /status/**
                allow: [engineers]
                stale: allow
            """;

    @TempDir
    Path dir;

    /**
     * HTTP/1.1: the JDK client would otherwise upgrade to h2c, and a request in flight on an HTTP/2
     * connection while its user is revoked has its connection closed (by design: LiveConnections)
     * instead of getting its 403 — this class is about the feed, not that.
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final RSAKey key = Tokens.rsa("rsa-feed");
    private SourceDirectory source;
    private TestFeedServer feed;
    private RecordingApp app;
    private KeyServer idp;
    private RunningSidecar sidecar;
    private String ada;

    @BeforeEach
    void start() throws IOException {
        source = new SourceDirectory();
        ada = source.createUser("ada@example.com");
        source.createUser("linus@example.com");
        source.createGroup("eng", ada);
        feed = new TestFeedServer(source.store(), Duration.ofMillis(50));
        app = new RecordingApp();
        idp = new KeyServer();
        idp.publish(List.of(key));
    }

    @AfterEach
    void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        idp.close();
        app.close();
        feed.close();
        source.close();
    }

    @Test
    void aSidecarInFeedModeDecidesFromTheFedDirectoryAndFollowsItsChanges() throws IOException {
        sidecar = startSidecar(TestFeedServer.TOKEN);
        awaitReady(true);

        assertThat(sidecar.receiver()).isEmpty();
        assertThat(sidecar.readyLine()).endsWith("directory from the feed at " + feed.url());
        assertThat(get("/api/orders", "ada@example.com").statusCode()).isEqualTo(200);
        assertThat(get("/api/orders", "linus@example.com").statusCode()).isEqualTo(403);

        source.deactivate(ada);
        Await.until(Duration.ofSeconds(10), () -> get("/api/orders", "ada@example.com").statusCode() == 403,
                () -> "ada is still allowed");
        assertThat(admin("/metrics").body()).contains("scimitar_directory_version " + source.version() + ".0")
                .contains("scimitar_directory_age_seconds");
    }

    @Test
    void aQuietFeedPastTheBoundFailsProtectedRoutesClosedUntilItsHeartbeatsReturn() {
        sidecar = startSidecar(TestFeedServer.TOKEN);
        awaitReady(true);
        assertThat(get("/api/orders", "ada@example.com").statusCode()).isEqualTo(200);

        try (AuditCapture audit = new AuditCapture()) {
            feed.pauseHeartbeats();
            awaitReady(false);

            assertThat(admin("/readyz").body()).contains("\"directory\":false");
            assertThat(get("/api/orders", "ada@example.com").statusCode()).isEqualTo(503);
            assertThat(get("/status/orders", "ada@example.com").statusCode()).as("stale: allow still decides")
                    .isEqualTo(200);
            assertThat(get("/status/orders", "linus@example.com").statusCode()).isEqualTo(403);
            assertThat(audit.take()).extracting(line -> line.get("path") + " " + line.get("reason")).containsExactly(
                    "/api/orders stale_directory", "/status/orders allowed_by_role", "/status/orders no_matching_role");
            assertThat(Double.parseDouble(metric("scimitar_directory_age_seconds"))).isGreaterThan(1.0);
        }

        feed.resumeHeartbeats();
        awaitReady(true);
        assertThat(get("/api/orders", "ada@example.com").statusCode()).isEqualTo(200);
    }

    @Test
    void beforeTheFirstSnapshotTheSidecarIsNotReadyAndFailsClosed() {
        sidecar = startSidecar("not-the-feed-token-0123456789");

        assertThat(admin("/readyz").statusCode()).isEqualTo(503);
        assertThat(get("/api/orders", "ada@example.com").statusCode()).isEqualTo(503);
        Await.until(Duration.ofSeconds(10), () -> feed.served().stream().anyMatch(s -> s.status() == 401),
                () -> "the feed never refused the sidecar's token: " + feed.served());
        assertThat(admin("/readyz").statusCode()).isEqualTo(503);
    }

    private RunningSidecar startSidecar(String feedToken) {
        try {
            Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
            Map<String, String> env = new HashMap<>();
            env.put("SCIMITAR_LISTEN", "127.0.0.1:0");
            env.put("SCIMITAR_ADMIN_LISTEN", "127.0.0.1:0");
            env.put("SCIMITAR_UPSTREAM", "http://127.0.0.1:" + app.port());
            env.put("SCIMITAR_POLICY", policy.toString());
            env.put("SCIMITAR_AUTH_JWKS_URL", idp.jwksUrl().toString());
            env.put("SCIMITAR_AUTH_ISSUER", Tokens.ISSUER);
            env.put("SCIMITAR_AUTH_AUDIENCE", Tokens.AUDIENCE);
            env.put("SCIMITAR_FEED_URLS", feed.url().toString());
            env.put("SCIMITAR_FEED_TOKEN", feedToken);
            env.put("SCIMITAR_FEED_MAX_STALENESS", "1s");
            var config = new ConfigLoader(env).load(Optional.empty(), Profile.PROXY);
            return new SidecarLauncher(ReceiverLauncher::openJdbc).start(config, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(boolean ready) {
        int expected = ready ? 200 : 503;
        Await.until(Duration.ofSeconds(10), () -> admin("/readyz").statusCode() == expected,
                () -> admin("/readyz").body());
    }

    private HttpResponse<String> get(String path, String email) {
        String token = Tokens.sign(key, Tokens.claims(Instant.now()).claim("email", email).build());
        return send(HttpRequest.newBuilder(URI.create(sidecar.url() + path))
                .header("Authorization", "Bearer " + token).build());
    }

    private String metric(String name) {
        return admin("/metrics").body().lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> line.substring(name.length() + 1)).orElseThrow();
    }

    private HttpResponse<String> admin(String path) {
        return send(HttpRequest.newBuilder(URI.create(sidecar.adminUrl() + path)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
