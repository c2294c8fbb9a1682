package io.scimitar.cli;

import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.UserKey;
import io.scimitar.scim.feed.Feed;
import io.scimitar.scim.feed.FeedSettings;
import io.scimitar.scim.service.ScimService;

/** A directory ready to serve: the SCIM service over an open store. Closing it closes the store. */
public interface OpenDirectory extends AutoCloseable {

    ScimService service();

    /** The version of the last committed change, 0 for an empty directory. */
    long version();

    /**
     * The sidecar's membership index of this directory, keyed by {@code userKey} and kept current
     * in-process from the store's change log (the embedded mode). Closing the index stops it following.
     */
    DirectoryIndex followIndex(UserKey userKey);

    /** The feed (docs/feed.md) over this directory's store and change log, to mount on the SCIM server. */
    Feed openFeed(FeedSettings settings);

    @Override
    void close();
}
