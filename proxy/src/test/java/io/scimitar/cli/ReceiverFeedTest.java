package io.scimitar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scimitar.config.ConfigException;
import io.scimitar.config.ConfigKey;
import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import io.scimitar.config.ScimitarConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver's feed from configuration: on with a feed token (from the variable or the file), 404 without. */
class ReceiverFeedTest {

    private static final String SCIM_TOKEN = "scim-token-for-the-idp-0123";
    private static final String FEED_TOKEN = "feed-token-for-sidecars-4567";
    private static final String FILE_TOKEN = "feed-token-from-the-file-89ab";

    @TempDir
    Path dir;

    @Test
    void theFeedAcceptsItsTokensOnlyAndScimKeepsItsOwn() throws Exception {
        Path tokens = Files.writeString(dir.resolve("feed-tokens"), "# rotated by the platform\n" + FILE_TOKEN + "\n");
        ScimitarConfig config = load(Map.of("SCIMITAR_FEED_TOKEN", FEED_TOKEN,
                "SCIMITAR_FEED_TOKEN_FILE", tokens.toString()));
        assertThat(config.display(ConfigKey.FEED_TOKEN)).doesNotContain(FEED_TOKEN).startsWith("<redacted");
        try (RunningReceiver receiver = new ReceiverLauncher(ReceiverLauncher::openJdbc).start(config, List.of())) {
            String base = "http://127.0.0.1:" + receiver.port();
            assertThat(receiver.feedUrl()).isEqualTo(base);
            assertThat(receiver.readyLine()).startsWith("scimitar receiver ready: SCIM at " + base
                    + "/scim/v2, feed for sidecars at " + base + " (store ");
            assertThat(get(base + "/feed/v1/snapshot", FEED_TOKEN).statusCode()).isEqualTo(200);
            assertThat(get(base + "/feed/v1/snapshot", FILE_TOKEN).statusCode()).isEqualTo(200);
            assertThat(get(base + "/feed/v1/snapshot", SCIM_TOKEN).statusCode()).isEqualTo(401);
            assertThat(get(base + "/scim/v2/Users", FEED_TOKEN).statusCode()).isEqualTo(401);
            assertThat(get(base + "/scim/v2/Users", SCIM_TOKEN).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutAFeedTokenTheFeedIsOff() throws Exception {
        try (RunningReceiver receiver = new ReceiverLauncher(ReceiverLauncher::openJdbc).start(load(Map.of()), List.of())) {
            assertThat(receiver.readyLine()).doesNotContain("feed");
            assertThat(get("http://127.0.0.1:" + receiver.port() + "/feed/v1/snapshot", FEED_TOKEN).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void aFeedTokenThatIsAlsoTheScimTokenIsRefused() {
        assertThatThrownBy(() -> load(Map.of("SCIMITAR_FEED_TOKEN", SCIM_TOKEN)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("feed.token (SCIMITAR_FEED_TOKEN) = <redacted, " + SCIM_TOKEN.length()
                        + " characters>: expected a token of its own, not one of the SCIM tokens");
    }

    private ScimitarConfig load(Map<String, String> feed) {
        Map<String, String> env = new HashMap<>(feed);
        env.put("SCIMITAR_SCIM_TOKEN", SCIM_TOKEN);
        env.put("SCIMITAR_SCIM_LISTEN", "127.0.0.1:0");
        env.put("SCIMITAR_STORE", "sqlite:" + dir.resolve("scimitar.db"));
        return new ConfigLoader(env).load(Optional.empty(), Profile.RECEIVER);
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
