package io.scimitar.feed;

import io.scimitar.scim.http.BearerTokens;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The feed token the sidecar presents: a fixed one, or the first token of a file that is read
 * again for every connection, so a rotated token is picked up at the next reconnect.
 */
public final class FeedToken {

    private final String fixed;
    private final Path file;

    private FeedToken(String fixed, Path file) {
        this.fixed = fixed;
        this.file = file;
    }

    /** Always this token. */
    public static FeedToken fixed(String token) {
        return new FeedToken(Objects.requireNonNull(token, "token"), null);
    }

    /** The first token in {@code file} (blank lines and {@code #} comments skipped), read at each connection. */
    public static FeedToken firstIn(Path file) {
        return new FeedToken(null, Objects.requireNonNull(file, "file"));
    }

    /**
     * The token to send now.
     *
     * @throws IOException when the file cannot be read or holds no token
     */
    String current() throws IOException {
        if (fixed != null) {
            return fixed;
        }
        List<String> tokens = BearerTokens.readTokenFile(file);
        if (tokens.isEmpty()) {
            throw new IOException("the feed token file " + file + " holds no token");
        }
        return tokens.getFirst();
    }

    @Override
    public String toString() {
        return fixed != null ? "FeedToken[sha256:" + BearerTokens.fingerprint(fixed) + "]" : "FeedToken[file " + file + "]";
    }
}
