package io.scimitar.scim.e2e;

import io.scimitar.scim.service.ScimService;
import java.nio.file.Path;

/**
 * The directory behind the receiver under test: the SCIM service and the head of its change log.
 * This is the one place that knows how the production directory is assembled.
 */
final class Directory implements AutoCloseable {

    private final ScimService service;
    private final java.util.function.LongSupplier version;
    private final AutoCloseable resources;

    private Directory(ScimService service, java.util.function.LongSupplier version, AutoCloseable resources) {
        this.service = service;
        this.version = version;
        this.resources = resources;
    }

    static Directory open(Path databaseFile) {
        // Stand-in until the JDBC store and DirectoryService are merged into main; see StandInDirectory.
        StandInDirectory standIn = new StandInDirectory();
        return new Directory(standIn, standIn::version, () -> { });
    }

    ScimService service() {
        return service;
    }

    long version() {
        return version.getAsLong();
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the directory", e);
        }
    }
}
