package io.scimitar.cli;

import io.scimitar.config.ListenAddress;
import io.scimitar.config.StoreLocation;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.UserKey;
import io.scimitar.scim.http.ScimServer;
import io.scimitar.scim.http.ScimServerSettings;

/** A started SCIM receiver: its server and the directory behind it. Closing stops the server, then the store. */
public final class RunningReceiver implements Scimitar.Service {

    private final ScimServer server;
    private final OpenDirectory directory;
    private final ListenAddress listen;
    private final StoreLocation store;
    private final boolean feed;
    private boolean closed;

    RunningReceiver(ScimServer server, OpenDirectory directory, ListenAddress listen, StoreLocation store, boolean feed) {
        this.server = server;
        this.directory = directory;
        this.listen = listen;
        this.store = store;
        this.feed = feed;
    }

    /** The port the server is bound to (the system's pick when the configuration said 0). */
    public int port() {
        return server.port();
    }

    /**
     * The local URL of the SCIM endpoints, as a person on this machine can paste it into curl.
     */
    public String scimUrl() {
        return baseUrl() + ScimServerSettings.DEFAULT_BASE_PATH;
    }

    /** What a sidecar's {@code feed.urls} names for this receiver (the feed is under {@code /feed/v1}). */
    public String feedUrl() {
        return baseUrl();
    }

    private String baseUrl() {
        return "http://" + listen.localUrlHost() + ":" + port();
    }

    /** The sidecar's membership index of this receiver's directory, following its change log in-process. */
    public DirectoryIndex followIndex(UserKey userKey) {
        return directory.followIndex(userKey);
    }

    /** The one line printed on stdout once the receiver accepts requests. */
    public String readyLine() {
        return "scimitar receiver ready: SCIM at " + scimUrl() + (feed ? ", feed for sidecars at " + feedUrl() : "")
                + " (store " + store.text() + ", directory version " + directory.version() + ")";
    }

    /** Stops accepting and drains requests first, so no request is cut off by a closed store. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } finally {
            directory.close();
        }
    }
}
