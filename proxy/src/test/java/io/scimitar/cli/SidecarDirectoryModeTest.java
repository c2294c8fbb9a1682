package io.scimitar.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scimitar.config.ConfigException;
import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sidecar takes its directory from exactly one place: the embedded receiver or the feed. */
class SidecarDirectoryModeTest {

    private static final Map<String, String> COMPLETE = Map.of(
            "SCIMITAR_UPSTREAM", "http://127.0.0.1:3000",
            "SCIMITAR_POLICY", "/nonexistent/policy.yaml",
            "SCIMITAR_AUTH_JWKS_URL", "http://127.0.0.1:1/jwks",
            "SCIMITAR_AUTH_ISSUER", "https://idp.example.test",
            "SCIMITAR_AUTH_AUDIENCE", "api://scimitar");

    @Test
    void neitherTheReceiverNorTheFeedIsRefusedNamingBothKeys() {
        assertThatThrownBy(() -> start(Map.of())).isInstanceOf(ConfigException.class).hasMessage(
                "the sidecar needs a directory: set feed.urls (SCIMITAR_FEED_URLS) to follow receivers over the feed"
                        + " (e.g. http://receiver-a:8081,http://receiver-b:8081), or scim.listen (SCIMITAR_SCIM_LISTEN)"
                        + " to run the SCIM receiver in this process (the embedded mode)");
    }

    @Test
    void bothTheReceiverAndTheFeedAreRefused() {
        assertThatThrownBy(() -> start(Map.of("SCIMITAR_SCIM_LISTEN", "127.0.0.1:0",
                "SCIMITAR_FEED_URLS", "http://receiver-a:8081"))).isInstanceOf(ConfigException.class).hasMessage(
                "the sidecar takes its directory from one place, but both are set: scim.listen (SCIMITAR_SCIM_LISTEN)"
                        + " runs the SCIM receiver in this process, feed.urls (SCIMITAR_FEED_URLS) follows receivers"
                        + " over the feed; keep one");
    }

    @Test
    void theFeedWithoutATokenIsRefused() {
        assertThatThrownBy(() -> start(Map.of("SCIMITAR_FEED_URLS", "http://receiver-a:8081")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("no feed token is configured");
    }

    private static void start(Map<String, String> mode) {
        var env = new HashMap<>(COMPLETE);
        env.putAll(mode);
        var config = new ConfigLoader(env).load(Optional.empty(), Profile.PROXY);
        new SidecarLauncher(ReceiverLauncher::openJdbc).start(config, List.of()).close();
    }
}
