package io.scimitar.feed;

import java.io.IOException;

/**
 * What a receiver sent breaks the feed protocol (docs/feed.md): a line that does not parse, a
 * change that skips a version, a snapshot without its {@code end}. The client drops the connection
 * and reconnects; nothing of a broken snapshot is applied.
 */
final class FeedProtocolException extends IOException {

    FeedProtocolException(String message) {
        super(message);
    }

    FeedProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
