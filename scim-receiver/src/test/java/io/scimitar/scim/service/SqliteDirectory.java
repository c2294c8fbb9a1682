package io.scimitar.scim.service;

import io.scimitar.scim.store.DirectoryView;
import io.scimitar.scim.store.JdbcStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The directory behind a receiver under test, assembled as in production: the JDBC store on a
 * SQLite file in a fresh temporary folder, the in-memory view that follows it, and the
 * {@link DirectoryService} over both. Closing it closes the view and the store and deletes the folder.
 */
public final class SqliteDirectory implements AutoCloseable {

    private final Path folder;
    private final JdbcStore store;
    private final DirectoryView view;
    private final DirectoryService service;

    private SqliteDirectory(Path folder, JdbcStore store, DirectoryView view, DirectoryService service) {
        this.folder = folder;
        this.store = store;
        this.view = view;
        this.service = service;
    }

    /** An empty directory with {@link DirectorySettings#DEFAULT}, in a new temporary folder. */
    public static SqliteDirectory openTemporary() {
        Path folder;
        try {
            folder = Files.createTempDirectory("scim-directory-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DirectorySettings settings = DirectorySettings.DEFAULT;
        JdbcStore store = JdbcStore.openSqlite(folder.resolve("directory.db"), settings.groupDisplayNameUnique(),
                Clock.systemUTC());
        DirectoryView view = DirectoryView.follow(store);
        return new SqliteDirectory(folder, store, view, new DirectoryService(store, view, settings));
    }

    public ScimService service() {
        return service;
    }

    /** The change log's head: the version of the last committed write. */
    public long version() {
        return store.changeLog().currentVersion();
    }

    @Override
    public void close() {
        try {
            view.close();
        } finally {
            store.close();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
