package io.scimitar.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated {@code scim.*} keys: where the SCIM receiver listens, which bearer tokens it
 * accepts, and its limits.
 *
 * @param listen                    {@code scim.listen}
 * @param token                     {@code scim.token}, a fixed bearer token
 * @param tokenFile                 {@code scim.token-file}, bearer tokens one per line, re-read for rotation
 * @param tokenFileTokens           the tokens found in {@code tokenFile} when the configuration was loaded
 * @param maxBodyBytes              {@code scim.max-body-bytes}
 * @param baseUrl                   {@code scim.base-url}, the externally visible SCIM base URL
 * @param groupDisplayNameUnique    {@code scim.group-display-name-unique}
 * @param maxResults                {@code scim.max-results}
 */
public record ScimConfig(
        ListenAddress listen,
        Optional<Secret> token,
        Optional<Path> tokenFile,
        List<Secret> tokenFileTokens,
        int maxBodyBytes,
        Optional<URI> baseUrl,
        boolean groupDisplayNameUnique,
        int maxResults) {

    public static final String DEFAULT_RECEIVER_LISTEN = "0.0.0.0:8081";
    public static final String DEFAULT_DEMO_LISTEN = "127.0.0.1:8081";
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int MIN_MAX_BODY_BYTES = 1024;
    public static final int MAX_MAX_BODY_BYTES = 64 << 20;
    public static final int DEFAULT_MAX_RESULTS = 1000;
    public static final int MAX_MAX_RESULTS = 10_000;
    /** Shorter bearer tokens are refused: they can be guessed. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public ScimConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenFile, "tokenFile");
        tokenFileTokens = List.copyOf(tokenFileTokens);
        Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /** True when at least one bearer token is configured (fixed or in the file). */
    public boolean hasTokens() {
        return token.isPresent() || !tokenFileTokens.isEmpty();
    }
}
