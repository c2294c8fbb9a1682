package io.scimitar.scim.feed;

import io.scimitar.scim.store.JdbcStore;

/** Reads the whole directory at one version, row by row, in one read transaction ({@link JdbcStore#streamSnapshot}). */
@FunctionalInterface
public interface SnapshotReader {

    void read(JdbcStore.SnapshotVisitor visitor);
}
