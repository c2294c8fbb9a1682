package io.scimitar.authn;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A blocking GET for key documents (a JWKS, an ALB PEM), run only on the key fetchers' own
 * threads. Bounded in time and size; redirects are not followed, so a key URL cannot be bent
 * elsewhere.
 */
final class KeyEndpoint {

    /** A fetched document and the server's {@code Cache-Control: max-age}, if any. */
    record Document(String body, Optional<Duration> maxAge) {
    }

    private final HttpClient client;
    private final Duration timeout;
    private final int maxBytes;

    KeyEndpoint(Duration timeout, int maxBytes) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    /** GETs {@code uri}; any status but 200, an oversized body or a timeout is an {@link IOException} naming the URL. */
    Document get(URI uri, String accept) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", accept)
                .header("User-Agent", "scimitar")
                .GET()
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered " + response.statusCode() + ", expected 200");
            }
            byte[] bytes = body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IOException("GET " + uri + " returned more than " + maxBytes + " bytes");
            }
            Optional<Duration> maxAge = response.headers().firstValue("Cache-Control").flatMap(KeyEndpoint::maxAge);
            return new Document(new String(bytes, StandardCharsets.UTF_8), maxAge);
        }
    }

    /** Stops the client's selector thread; a fetch still running fails. */
    void close() {
        client.shutdownNow();
    }

    /**
     * RFC 9111 §5.2.2.1 {@code max-age=N}; {@code no-store}/{@code no-cache} read as zero (the
     * caller's lower bound applies). Unparseable directives are ignored.
     */
    static Optional<Duration> maxAge(String cacheControl) {
        Duration result = null;
        for (String directive : cacheControl.split(",")) {
            String d = directive.strip().toLowerCase(Locale.ROOT);
            if (d.equals("no-store") || d.equals("no-cache")) {
                return Optional.of(Duration.ZERO);
            }
            if (d.startsWith("max-age=")) {
                String value = d.substring("max-age=".length());
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                try {
                    long seconds = Long.parseLong(value);
                    if (seconds >= 0) {
                        result = Duration.ofSeconds(seconds);
                    }
                } catch (NumberFormatException ignored) {
                    // an invalid max-age is ignored: the configured refresh interval applies
                }
            }
        }
        return Optional.ofNullable(result);
    }
}
