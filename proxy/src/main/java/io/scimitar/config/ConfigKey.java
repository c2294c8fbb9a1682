package io.scimitar.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every configuration key Scimitar reads. A key is a dotted path in the YAML file and, derived
 * from it, an environment variable that overrides it: {@code scim.token-file} ←
 * {@code SCIMITAR_SCIM_TOKEN_FILE}.
 */
public enum ConfigKey {
    SCIM_LISTEN("scim.listen", false),
    SCIM_TOKEN("scim.token", true),
    SCIM_TOKEN_FILE("scim.token-file", false),
    SCIM_MAX_BODY_BYTES("scim.max-body-bytes", false),
    SCIM_BASE_URL("scim.base-url", false),
    SCIM_GROUP_DISPLAY_NAME_UNIQUE("scim.group-display-name-unique", false),
    SCIM_MAX_RESULTS("scim.max-results", false),
    STORE("store", false),
    STORE_USER("store-user", false),
    STORE_PASSWORD("store-password", true),
    STORE_PASSWORD_FILE("store-password-file", false),
    CHANGELOG_RETENTION("changelog.retention", false),

    LISTEN("listen", false),
    ADMIN_LISTEN("admin.listen", false),
    UPSTREAM("upstream", false),
    POLICY("policy", false),
    AUTH_JWKS_URL("auth.jwks-url", false),
    AUTH_ISSUER("auth.issuer", false),
    AUTH_AUDIENCE("auth.audience", false),
    AUTH_USER_CLAIM("auth.user-claim", false),
    AUTH_USER_ATTRIBUTE("auth.user-attribute", false),
    AUTH_COOKIE("auth.cookie", false),
    AUTH_ALB_ARN("auth.alb-arn", false),
    AUTH_ALB_KEY_URL("auth.alb-key-url", false),
    TLS_CERT("tls.cert", false),
    TLS_KEY("tls.key", false),
    MAX_BODY_BYTES("max-body-bytes", false),
    TIMEOUT_CONNECT("timeouts.connect", false),
    TIMEOUT_RESPONSE_HEADERS("timeouts.response-headers", false),
    TIMEOUT_IDLE("timeouts.idle", false),
    DRAIN_TIMEOUT("drain-timeout", false),

    FEED_URLS("feed.urls", false),
    FEED_TOKEN("feed.token", true),
    FEED_TOKEN_FILE("feed.token-file", false),
    FEED_MAX_STALENESS("feed.max-staleness", false);

    /** The prefix of every Scimitar environment variable. */
    public static final String ENV_PREFIX = "SCIMITAR_";

    private final String path;
    private final String envVar;
    private final boolean secret;

    ConfigKey(String path, boolean secret) {
        this.path = path;
        this.envVar = ENV_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        this.secret = secret;
    }

    /** The dotted path in the YAML file, e.g. {@code scim.listen}. */
    public String path() {
        return path;
    }

    /** The environment variable that overrides this key, e.g. {@code SCIMITAR_SCIM_LISTEN}. */
    public String envVar() {
        return envVar;
    }

    /** True for values that must never be printed or logged. */
    public boolean secret() {
        return secret;
    }

    /** {@code scim.listen (SCIMITAR_SCIM_LISTEN)}: how errors and listings name a key. */
    public String display() {
        return path + " (" + envVar + ")";
    }

    public static Optional<ConfigKey> byPath(String path) {
        return Arrays.stream(values()).filter(k -> k.path.equals(path)).findFirst();
    }
}
