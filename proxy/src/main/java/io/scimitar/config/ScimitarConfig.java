package io.scimitar.config;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The effective configuration, validated once at start by {@link ConfigLoader}.
 *
 * @param file    the YAML file it was read from, if any
 * @param scim    the SCIM receiver's keys
 * @param store   the directory store
 * @param sources where each key's value came from
 */
public record ScimitarConfig(Optional<Path> file, ScimConfig scim, StoreLocation store, Map<ConfigKey, Source> sources) {

    /** Where a value came from; the environment wins over the file, the file over the defaults. */
    public enum Source {
        DEFAULT, FILE, ENVIRONMENT
    }

    public ScimitarConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(scim, "scim");
        Objects.requireNonNull(store, "store");
        sources = Map.copyOf(new EnumMap<>(sources));
    }

    /** Where {@code key}'s value came from ({@link Source#DEFAULT} for an unset key). */
    public Source source(ConfigKey key) {
        return sources.getOrDefault(key, Source.DEFAULT);
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
