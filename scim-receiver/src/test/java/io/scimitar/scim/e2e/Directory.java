package io.scimitar.scim.e2e;

import io.scimitar.scim.service.DirectoryService;
import io.scimitar.scim.service.DirectorySettings;
import io.scimitar.scim.service.ScimService;
import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.store.JdbcStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The directory behind the receiver under test, assembled as in production: the JDBC store on a
 * SQLite file, the in-memory view that follows it, and the {@link DirectoryService} over both.
 */
final class Directory implements AutoCloseable {

    private final JdbcStore store;
    private final DirectoryView view;
    private final DirectoryService service;

    private Directory(JdbcStore store, DirectoryView view, DirectoryService service) {
        this.store = store;
        this.view = view;
        this.service = service;
    }

    static Directory open(Path databaseFile) {
        DirectorySettings settings = DirectorySettings.DEFAULT;
        JdbcStore store = JdbcStore.openSqlite(databaseFile, settings.groupDisplayNameUnique(), Clock.systemUTC());
        DirectoryView view = DirectoryView.follow(store);
        return new Directory(store, view, new DirectoryService(store, view, settings));
    }

    ScimService service() {
        return service;
    }

    /** The change log's head: the version of the last committed write. */
    long version() {
        return store.changeLog().currentVersion();
    }

    @Override
    public void close() {
        view.close();
        store.close();
    }
}
