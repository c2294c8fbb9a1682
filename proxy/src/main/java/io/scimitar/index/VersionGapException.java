package io.scimitar.index;

/**
 * A change that does not follow the index's version: a change was lost on the way, so the index
 * refuses it and stays at its version; the feed answers by taking a fresh snapshot
 * ({@link DirectoryIndex#reset(MembershipIndex)}).
 */
public final class VersionGapException extends IllegalStateException {

    private final long indexVersion;
    private final long changeVersion;

    public VersionGapException(long indexVersion, long changeVersion) {
        super("change " + changeVersion + " does not follow directory version " + indexVersion
                + ": expected change " + (indexVersion + 1) + "; resync from a snapshot");
        this.indexVersion = indexVersion;
        this.changeVersion = changeVersion;
    }

    public long indexVersion() {
        return indexVersion;
    }

    public long changeVersion() {
        return changeVersion;
    }
}
