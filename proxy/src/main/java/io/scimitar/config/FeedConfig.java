package io.scimitar.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated {@code feed.*} keys (docs/feed.md): the feed tokens (the receiver accepts them on
 * {@code /feed/v1/...}; a sidecar presents the first), the receivers a sidecar in feed mode follows, and how old the sidecar's view of the directory may grow before protected routes
 * fail closed.
 *
 * @param urls            {@code feed.urls}, receiver base URLs tried in turn; empty: not in feed mode
 * @param token           {@code feed.token}, a fixed feed token
 * @param tokenFile       {@code feed.token-file}, feed tokens one per line, re-read for rotation
 * @param tokenFileTokens the tokens found in {@code tokenFile} when the configuration was loaded
 * @param maxStaleness    {@code feed.max-staleness}, the staleness bound
 */
public record FeedConfig(
        List<URI> urls,
        Optional<Secret> token,
        Optional<Path> tokenFile,
        List<Secret> tokenFileTokens,
        Duration maxStaleness) {

    public static final Duration DEFAULT_MAX_STALENESS = Duration.ofSeconds(60);

    public FeedConfig {
        urls = List.copyOf(urls);
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenFile, "tokenFile");
        tokenFileTokens = List.copyOf(tokenFileTokens);
        Objects.requireNonNull(maxStaleness, "maxStaleness");
    }

    /** Whether the receiver serves the feed: a feed token or token file is configured (else 404). */
    public boolean enabled() {
        return token.isPresent() || tokenFile.isPresent();
    }

    /** Whether the sidecar follows receivers over the feed ({@code feed.urls} is set). */
    public boolean followsReceivers() {
        return !urls.isEmpty();
    }

    /**
     * Refuses a feed client without a token to present: every receiver would answer 401, which
     * looks like a receiver problem rather than this sidecar's configuration.
     */
    public FeedConfig requireClientToken() {
        if (token.isEmpty() && tokenFileTokens.isEmpty()) {
            String where = tokenFile.map(f -> ConfigKey.FEED_TOKEN_FILE.display() + " = \"" + f + "\" holds no token, and ")
                    .orElse("");
            throw new ConfigException(where + "no feed token is configured: set " + ConfigKey.FEED_TOKEN.display()
                    + " or " + ConfigKey.FEED_TOKEN_FILE.display() + " (the token the receivers at "
                    + ConfigKey.FEED_URLS.display() + " accept)");
        }
        return this;
    }
}
