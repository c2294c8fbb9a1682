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
     * The oldest version the log still holds, or {@code currentVersion() + 1} when it holds none. A
     * follower at version V can resume with {@code readAfter(V)} exactly when {@code V >= oldestVersion() - 1};
     * an older follower needs a fresh snapshot. A log that never drops changes holds every version from 1.
     */
    default long oldestVersion() {
        return 1;
    }

    /** Up to {@code limit} changes with a version greater than {@code afterVersion}, in order. */
    List<Change> readAfter(long afterVersion, int limit);

    /**
     * Calls {@code listener} with every change committed from now on, in order and once each: on
     * the thread that committed it, or (for a change another store on the same database committed)
     * on the thread that brought it in, so keep it short. Closing the subscription stops the calls.
     */
    AutoCloseable subscribe(Consumer<Change> listener);

    /**
     * Calls {@code listener} when the log cannot hand its subscribers the next change because the
     * changes in between are gone (another receiver compacted them while this one was behind): the
     * argument is the directory read from the tables at a version S, and the changes after S follow
     * through {@link #subscribe}. A subscriber that keeps state built from the changes rebuilds it
     * from the snapshot. Called before the change after S, on the thread that found the gap.
     */
    default AutoCloseable subscribeResyncs(Consumer<JdbcStore.Snapshot> listener) {
        return () -> { };
    }
}
