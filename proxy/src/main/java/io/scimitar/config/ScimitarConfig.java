package io.scimitar.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The effective configuration, validated once at start by {@link ConfigLoader}.
 *
 * @param file    the YAML file it was read from, if any
 * @param scim    the SCIM receiver's keys
 * @param feed    the receiver's feed tokens
 * @param store   the directory store
 * @param changeLogRetention {@code changelog.retention}: how long a receiver keeps a change in the log
 * @param sidecar the sidecar's keys
 * @param feed    the feed's keys: the receivers a sidecar follows, the feed token, the staleness bound
 * @param sources where each key's value came from
 */
public record ScimitarConfig(Optional<Path> file, ScimConfig scim, FeedConfig feed, StoreLocation store,
        Duration changeLogRetention, SidecarConfig sidecar,
        Map<ConfigKey, Source> sources) {

    /** Where a value came from; the environment wins over the file, the file over the defaults. */
    public enum Source {
        DEFAULT, FILE, ENVIRONMENT
    }

    /** {@code changelog.retention} when unset: a sidecar down for up to a week resumes from the log. */
    public static final Duration DEFAULT_CHANGELOG_RETENTION = Duration.ofDays(7);

    public ScimitarConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(scim, "scim");
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(changeLogRetention, "changeLogRetention");
        Objects.requireNonNull(sidecar, "sidecar");
        Objects.requireNonNull(feed, "feed");
        sources = Map.copyOf(new EnumMap<>(sources));
    }

    /** Where {@code key}'s value came from ({@link Source#DEFAULT} for an unset key). */
    public Source source(ConfigKey key) {
        return sources.getOrDefault(key, Source.DEFAULT);
    }

    /** Whether {@code key} was set (in the file or the environment) rather than left at its default. */
    public boolean isSet(ConfigKey key) {
        return source(key) != Source.DEFAULT;
    }

    /**
     * The effective value of {@code key} as check-config prints it: secrets redacted to their
     * fingerprint, durations as ISO-8601, empty for an unset optional key.
     */
    public String display(ConfigKey key) {
        SidecarConfig s = sidecar;
        Object value = switch (key) {
            case SCIM_LISTEN -> scim.listen();
            case SCIM_TOKEN -> scim.token().orElse(null);
            case SCIM_TOKEN_FILE -> scim.tokenFile().orElse(null);
            case SCIM_MAX_BODY_BYTES -> scim.maxBodyBytes();
            case SCIM_BASE_URL -> scim.baseUrl().orElse(null);
            case SCIM_GROUP_DISPLAY_NAME_UNIQUE -> scim.groupDisplayNameUnique();
            case SCIM_MAX_RESULTS -> scim.maxResults();
            case STORE -> store.text();
            case STORE_USER -> store instanceof StoreLocation.Postgres pg ? pg.user().orElse(null) : null;
            case STORE_PASSWORD -> store instanceof StoreLocation.Postgres pg && pg.passwordFile().isEmpty()
                    ? pg.password().orElse(null) : null;
            case STORE_PASSWORD_FILE -> store instanceof StoreLocation.Postgres pg ? pg.passwordFile().orElse(null) : null;
            case CHANGELOG_RETENTION -> changeLogRetention;
            case LISTEN -> s.listen();
            case ADMIN_LISTEN -> s.adminListen();
            case UPSTREAM -> s.upstream().orElse(null);
            case POLICY -> s.policy().orElse(null);
            case AUTH_JWKS_URL -> s.jwksUrl().orElse(null);
            case AUTH_ISSUER -> s.issuer().orElse(null);
            case AUTH_AUDIENCE -> s.audience().orElse(null);
            case AUTH_USER_CLAIM -> s.userClaim();
            case AUTH_USER_ATTRIBUTE -> s.userAttribute();
            case AUTH_COOKIE -> s.cookie().orElse(null);
            case AUTH_ALB_ARN -> s.albArn().orElse(null);
            case AUTH_ALB_KEY_URL -> s.albKeyUrl().orElse(null);
            case TLS_CERT -> s.tlsCert().orElse(null);
            case TLS_KEY -> s.tlsKey().orElse(null);
            case MAX_BODY_BYTES -> s.maxBodyBytes();
            case TIMEOUT_CONNECT -> s.connectTimeout();
            case TIMEOUT_RESPONSE_HEADERS -> s.responseHeadersTimeout();
            case TIMEOUT_IDLE -> s.idleTimeout();
            case DRAIN_TIMEOUT -> s.drainTimeout();
            case FEED_URLS -> feed.urls().isEmpty() ? null
                    : String.join(",", feed.urls().stream().map(URI::toString).toList());
            case FEED_TOKEN -> feed.token().orElse(null);
            case FEED_TOKEN_FILE -> feed.tokenFile().orElse(null);
            case FEED_MAX_STALENESS -> feed.maxStaleness();
        };
        return value == null ? "" : value.toString();
    }

    /**
     * Refuses a configuration without a bearer token: the receiver would answer every request
     * with 401, which looks like an IdP misconfiguration rather than ours.
     */
    public ScimitarConfig requireTokens() {
        if (!scim.hasTokens()) {
            String where = scim.tokenFile().isPresent()
                    ? ConfigKey.SCIM_TOKEN_FILE.display() + " = \"" + scim.tokenFile().get() + "\" holds no token, and "
                    : "";
            throw new ConfigException(where + "no SCIM bearer token is configured: set "
                    + ConfigKey.SCIM_TOKEN.display() + " or " + ConfigKey.SCIM_TOKEN_FILE.display()
                    + " (tokens of at least " + ScimConfig.MIN_TOKEN_LENGTH + " characters)");
        }
        return this;
    }
}
