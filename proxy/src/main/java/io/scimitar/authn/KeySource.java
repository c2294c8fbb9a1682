package io.scimitar.authn;

import java.util.concurrent.CompletableFuture;

/**
 * Where {@link JwtAuthenticator} gets its keys: an immutable snapshot to read on the request path,
 * and a non-blocking hint that the snapshot lacks a key a token asked for.
 */
public interface KeySource {

    /** The current keys; never blocks, never fetches. */
    KeySnapshot snapshot();

    /**
     * A token named a {@code kid} we do not hold (or we hold no keys): refetch soon, off this
     * thread. Returns the fetch that may bring it, completed at once when none will (rate-limited).
     */
    CompletableFuture<?> keyMissing(String kid);
}
