package io.scimitar.scim.http;

import io.scimitar.scim.Require;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated configuration of a {@link ScimServer}. Build it with {@link #builder(BearerTokens)};
 * every limit has a default sized for the request shapes Okta and Entra ID send.
 *
 * @param host                  the address to listen on
 * @param port                  the port to listen on; 0 picks a free one ({@link ScimServer#port()})
 * @param basePath              the path under which SCIM lives, e.g. {@code /scim/v2}, without a trailing slash
 * @param publicBaseUrl         the externally visible base URL (scheme, host, base path) for
 *                              {@code meta.location} and {@code Location}; when empty it is built from
 *                              the request's {@code Host} header with scheme {@code http}
 * @param tokens                the accepted bearer tokens, read on every request so rotation needs no restart
 * @param maxBodyBytes          largest accepted request body; larger ones are answered with 413
 * @param maxInitialLineLength  longest request line; longer ones are answered with 414
 * @param maxHeaderSize         largest header block; larger ones are answered with 431
 * @param requestTimeout        how long a request may take before it is answered with 503
 * @param idleTimeout           how long a keep-alive connection may sit without traffic
 * @param blockingThreads       threads that run the (blocking, JDBC) service calls
 * @param maxResults            the largest page a list or search returns ({@code filter.maxResults})
 */
public record ScimServerSettings(
        String host,
        int port,
        String basePath,
        Optional<URI> publicBaseUrl,
        BearerTokens tokens,
        int maxBodyBytes,
        int maxInitialLineLength,
        int maxHeaderSize,
        Duration requestTimeout,
        Duration idleTimeout,
        int blockingThreads,
        int maxResults) {

    public static final String DEFAULT_BASE_PATH = "/scim/v2";
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    public ScimServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: expected 0..65535, got " + port);
        }
        basePath = normalizeBasePath(basePath);
        publicBaseUrl.ifPresent(ScimServerSettings::checkPublicBaseUrl);
        Require.positive("maxBodyBytes", maxBodyBytes);
        Require.positive("maxInitialLineLength", maxInitialLineLength);
        Require.positive("maxHeaderSize", maxHeaderSize);
        Require.positive("blockingThreads", blockingThreads);
        Require.positive("maxResults", maxResults);
        Require.positive("requestTimeout", requestTimeout);
        Require.positive("idleTimeout", idleTimeout);
    }

    public static Builder builder(BearerTokens tokens) {
        return new Builder(tokens);
    }

    /** The public base URL without a trailing slash, when one is configured. */
    Optional<String> publicBase() {
        return publicBaseUrl.map(u -> {
            String s = u.toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        });
    }

    private static String normalizeBasePath(String path) {
        Objects.requireNonNull(path, "basePath");
        String p = path.strip();
        if (!p.startsWith("/")) {
            throw new IllegalArgumentException("basePath: expected a path starting with '/', got '" + path + "'");
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static void checkPublicBaseUrl(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException(
                    "publicBaseUrl: expected an absolute http(s) URL without query or fragment, got '" + uri + "'");
        }
    }


    /** Builder with the defaults: all interfaces, port 8080, {@code /scim/v2}, 1 MiB bodies. */
    public static final class Builder {
        private final BearerTokens tokens;
        private String host = "0.0.0.0";
        private int port = 8080;
        private String basePath = DEFAULT_BASE_PATH;
        private Optional<URI> publicBaseUrl = Optional.empty();
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        // Entra ID's and Okta's request lines carry one short filter; 8 KiB is generous.
        private int maxInitialLineLength = 8 * 1024;
        private int maxHeaderSize = 16 * 1024;
        // Okta gives up after 60 s; answering before that lets it retry instead of guessing.
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(120);
        private int blockingThreads = 16;
        private int maxResults = 200;

        private Builder(BearerTokens tokens) {
            this.tokens = tokens;
        }

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder basePath(String value) {
            this.basePath = value;
            return this;
        }

        public Builder publicBaseUrl(URI value) {
            this.publicBaseUrl = Optional.of(value);
            return this;
        }

        public Builder maxBodyBytes(int value) {
            this.maxBodyBytes = value;
            return this;
        }

        public Builder maxInitialLineLength(int value) {
            this.maxInitialLineLength = value;
            return this;
        }

        public Builder maxHeaderSize(int value) {
            this.maxHeaderSize = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            this.idleTimeout = value;
            return this;
        }

        public Builder blockingThreads(int value) {
            this.blockingThreads = value;
            return this;
        }

        public Builder maxResults(int value) {
            this.maxResults = value;
            return this;
        }

        public ScimServerSettings build() {
            return new ScimServerSettings(host, port, basePath, publicBaseUrl, tokens, maxBodyBytes,
                    maxInitialLineLength, maxHeaderSize, requestTimeout, idleTimeout, blockingThreads, maxResults);
        }
    }
}
