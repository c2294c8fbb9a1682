package io.scimitar.forward;

/**
 * Where the forwarder reports each failure talking to the app, by kind; the sidecar counts them in
 * {@code scimitar_upstream_errors_total}. Called on the event loop: must not block.
 */
@FunctionalInterface
public interface UpstreamErrors {

    /** Could not connect (refused, unreachable, connect timeout): 502. */
    String CONNECT = "connect";
    /** The app did not answer the request's headers in time: 504. */
    String TIMEOUT = "timeout";
    /** The app closed or reset the connection before its response began: 502. */
    String RESET = "reset";
    /** The app closed or reset the connection in the middle of its response: the client's is closed. */
    String RESET_MID_RESPONSE = "reset_mid_response";
    /** A reused keep-alive connection was closed by the app as the request went out; sent again on a new one. */
    String STALE_CONNECTION_RETRIED = "stale_connection_retried";
    /** The app answered a WebSocket handshake with a 101 it was not asked for, or for another protocol: 502. */
    String BAD_UPGRADE = "bad_upgrade";

    /** Ignores every report. */
    UpstreamErrors NONE = kind -> { };

    void record(String kind);
}
