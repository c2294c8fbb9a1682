package io.scimitar.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the directory is stored. Today a SQLite file, written {@code sqlite:PATH} or
 * {@code jdbc:sqlite:PATH}; {@link #text()} is the value as configured, for messages.
 *
 * @param text       the configured value
 * @param sqliteFile the SQLite database file
 */
public record StoreLocation(String text, Path sqliteFile) {

    public static final String DEFAULT = "sqlite:./scimitar-data/scimitar.db";

    /** The JDBC URL of the store. */
    public String jdbcUrl() {
        return "jdbc:sqlite:" + sqliteFile;
    }

    /**
     * Parses a store value.
     *
     * @throws IllegalArgumentException with what was expected, when the value is not a store
     */
    public static StoreLocation parse(String text) {
        String s = text.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:") || lower.startsWith("postgresql:") || lower.startsWith("postgres:")) {
            throw new IllegalArgumentException("PostgreSQL arrives with the fleet issue; use sqlite:PATH for now");
        }
        String path;
        if (lower.startsWith("jdbc:sqlite:")) {
            path = s.substring("jdbc:sqlite:".length());
        } else if (lower.startsWith("sqlite:")) {
            path = s.substring("sqlite:".length());
        } else {
            throw new IllegalArgumentException("expected sqlite:PATH or jdbc:sqlite:PATH");
        }
        if (path.isBlank()) {
            throw new IllegalArgumentException("expected sqlite:PATH with a file path after 'sqlite:'");
        }
        // An in-memory database would lose the directory on restart, and each JDBC connection
        // would see a different one.
        if (path.startsWith(":memory:") || path.startsWith("file::memory:") || path.contains("mode=memory")) {
            throw new IllegalArgumentException("expected a database file; an in-memory SQLite database is not supported");
        }
        if (path.contains("?")) {
            throw new IllegalArgumentException("expected sqlite:PATH without URL parameters");
        }
        try {
            return new StoreLocation(s, Path.of(path));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("expected sqlite:PATH with a valid file path");
        }
    }
}
