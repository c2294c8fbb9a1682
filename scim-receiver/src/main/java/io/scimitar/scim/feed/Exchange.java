package io.scimitar.scim.feed;

/** A feed response in progress on one connection; every method runs on the connection's event loop. */
sealed interface Exchange permits SnapshotResponse, ChangeStream {

    /** The channel became writable again (or not): resume or pause writing. */
    void writabilityChanged();

    /** The server is closing: end the response and the connection. */
    void drain();

    /** The connection is gone: stop and let go of everything. */
    void closed();
}
