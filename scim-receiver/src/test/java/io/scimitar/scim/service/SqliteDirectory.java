package io.scimitar.scim.service;

import io.scimitar.scim.store.Directory;
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
    private final Directory directory;

    private SqliteDirectory(Path folder, Directory directory) {
        this.folder = folder;
        this.directory = directory;
    }

    /** An empty directory with {@link DirectorySettings#DEFAULT} and the system clock, in a new temporary folder. */
    public static SqliteDirectory openTemporary() {
        Path folder;
        try {
            folder = Files.createTempDirectory("scim-directory-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return open(folder, DirectorySettings.DEFAULT);
    }

    /** An empty directory with {@code settings} and the system clock in {@code folder}, which close deletes. */
    public static SqliteDirectory open(Path folder, DirectorySettings settings) {
        return new SqliteDirectory(folder, Directory.open(folder, settings, Clock.systemUTC()));
    }

    /** The store, view and service underneath. */
    public Directory directory() {
        return directory;
    }

    public ScimService service() {
        return directory.service();
    }

    /** The change log's head: the version of the last committed write. */
    public long version() {
        return directory.version();
    }

    @Override
    public void close() {
        directory.close();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
