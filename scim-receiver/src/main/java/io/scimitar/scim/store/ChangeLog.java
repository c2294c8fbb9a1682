package io.scimitar.scim.store;

import java.util.List;
import java.util.function.Consumer;

/**
 * The ordered log of committed changes, the source the sidecars follow. Versions increase by one
 * per change, without gaps, in commit order.
 */
public interface ChangeLog {

    /** The version of the last committed change, 0 for an empty directory. */
    long currentVersion();

    /**
     * The oldest version the log still holds: a reader can resume after {@code oldestVersion() - 1}
     * or later. Nothing compacts the log yet, so it holds every change from version 1.
     */
    default long oldestVersion() {
        return 1;
    }

    /** Up to {@code limit} changes with a version greater than {@code afterVersion}, in order. */
    List<Change> readAfter(long afterVersion, int limit);

    /**
     * Calls {@code listener} with every change committed from now on, in order, on the thread
     * that committed it (so keep it short). Closing the subscription stops the calls.
     */
    AutoCloseable subscribe(Consumer<Change> listener);
}
