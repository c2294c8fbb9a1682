package io.scimitar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.cli.RunningSidecar;
import io.scimitar.cli.SidecarLauncher;
import io.scimitar.feed.SourceDirectory;
import io.scimitar.feed.TestFeedServer;
import io.scimitar.scim.testing.Await;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    private SourceDirectory source;
    private TestFeedServer feed;
    private FleetSidecars sidecars;
    private RunningSidecar sidecar;
    private String ada;

    @BeforeEach
    void start() throws IOException {
        source = new SourceDirectory();
        ada = source.createUser("ada@example.com");
        source.createUser("linus@example.com");
        source.createGroup("eng", ada);
        feed = new TestFeedServer(source.store(), Duration.ofMillis(50));
        sidecars = new FleetSidecars(dir, POLICY);
    }

    @AfterEach
    void stop() {
        sidecars.close();
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
        return sidecars.start(List.of(feed.url().toString()),
                Map.of("SCIMITAR_FEED_TOKEN", feedToken, "SCIMITAR_FEED_MAX_STALENESS", "1s"));
    }

    private void awaitReady(boolean ready) {
        int expected = ready ? 200 : 503;
        Await.until(Duration.ofSeconds(10), () -> admin("/readyz").statusCode() == expected,
                () -> admin("/readyz").body());
    }

    private HttpResponse<String> get(String path, String email) {
        return sidecars.get(sidecar, path, email);
    }

    private String metric(String name) {
        return admin("/metrics").body().lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> line.substring(name.length() + 1)).orElseThrow();
    }

    private HttpResponse<String> admin(String path) {
        return sidecars.admin(sidecar, path);
    }
}
