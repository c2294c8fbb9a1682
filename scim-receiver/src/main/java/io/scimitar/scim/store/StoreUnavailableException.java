package io.scimitar.scim.store;

/**
 * The database failed (I/O error, lock timeout, connection lost): the request may succeed if
 * retried, so the HTTP layer answers 503 with {@code Retry-After} rather than 500.
 */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
