package io.scimitar.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated {@code feed.*} keys the receiver reads: the bearer tokens sidecars present on
 * {@code /feed/v1/...} (docs/feed.md), never the same as the SCIM tokens.
 *
 * @param token           {@code feed.token}, a fixed feed token
 * @param tokenFile       {@code feed.token-file}, feed tokens one per line, re-read for rotation
 * @param tokenFileTokens the tokens found in {@code tokenFile} when the configuration was loaded
 */
public record FeedConfig(Optional<Secret> token, Optional<Path> tokenFile, List<Secret> tokenFileTokens) {

    public FeedConfig {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenFile, "tokenFile");
        tokenFileTokens = List.copyOf(tokenFileTokens);
    }

    /** True when a feed token or token file is configured; without one the feed answers 404. */
    public boolean enabled() {
        return token.isPresent() || tokenFile.isPresent();
    }
}
