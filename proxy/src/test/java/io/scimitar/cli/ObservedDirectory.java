package io.scimitar.cli;

import io.scimitar.config.ScimitarConfig;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.UserKey;
import io.scimitar.scim.feed.Feed;
import io.scimitar.scim.feed.FeedSettings;
import io.scimitar.scim.service.ScimService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the real SQLite-backed directory ({@link ReceiverLauncher#openJdbc}), wrapped only to
 * record when the store is closed and whether the receiver's server still accepted connections at
 * that moment: the shutdown order is not observable from outside the process.
 */
final class ObservedDirectory implements DirectoryOpener {

    /** The receiver's port, once the test has read it from the ready line. */
    final AtomicInteger serverPort = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    final AtomicBoolean serverAcceptedWhenClosed = new AtomicBoolean();

    @Override
    public OpenDirectory open(ScimitarConfig config) {
        OpenDirectory real = ReceiverLauncher.openJdbc(config);
        return new OpenDirectory() {
            @Override
            public ScimService service() {
                return real.service();
            }

            @Override
            public long version() {
                return real.version();
            }

            @Override
            public DirectoryIndex followIndex(UserKey userKey) {
                return real.followIndex(userKey);
            }

            @Override
            public Feed openFeed(FeedSettings settings) {
                return real.openFeed(settings);
            }

            @Override
            public void close() {
                serverAcceptedWhenClosed.set(serverAccepts());
                real.close();
                closed.set(true);
            }
        };
    }

    private boolean serverAccepts() {
        int port = serverPort.get();
        if (port == 0) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException expected) {
            return false;
        }
    }
}
