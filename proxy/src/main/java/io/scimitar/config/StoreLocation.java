package io.scimitar.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the directory is stored: a SQLite file ({@code sqlite:PATH} or {@code jdbc:sqlite:PATH}),
 * or a PostgreSQL database that several receivers share ({@code jdbc:postgresql://HOST:PORT/DATABASE},
 * credentials from their own keys). {@link #text()} is the value as configured, for messages.
 */
public sealed interface StoreLocation permits StoreLocation.Sqlite, StoreLocation.Postgres {

    String DEFAULT = "sqlite:./scimitar-data/scimitar.db";

    /** The value as configured. */
    String text();

    /** The JDBC URL of the store (never with a password in it). */
    String jdbcUrl();

    /**
     * An embedded SQLite database file.
     *
     * @param text the configured value
     * @param file the SQLite database file
     */
    record Sqlite(String text, Path file) implements StoreLocation {
        public Sqlite {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String jdbcUrl() {
            return "jdbc:sqlite:" + file;
        }
    }

    /**
     * A PostgreSQL database.
     *
     * @param text     the configured value, which is also the JDBC URL
     * @param user     the database user ({@code store-user}); empty means the driver's default
     * @param password     the user's password ({@code store-password}, or read from {@code store-password-file})
     * @param passwordFile {@code store-password-file}: read at start to check it, and by the store for every new connection
     */
    record Postgres(String text, Optional<String> user, Optional<Secret> password, Optional<Path> passwordFile)
            implements StoreLocation {
        public Postgres {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(passwordFile, "passwordFile");
        }

        @Override
        public String jdbcUrl() {
            return text;
        }

        /** The same database with these credentials. */
        public Postgres withCredentials(Optional<String> user, Optional<Secret> password, Optional<Path> passwordFile) {
            return new Postgres(text, user, password, passwordFile);
        }
    }

    /**
     * Parses a store value (without credentials, which have keys of their own).
     *
     * @throws IllegalArgumentException with what was expected, when the value is not a store
     */
    static StoreLocation parse(String text) {
        String s = text.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("postgresql:") || lower.startsWith("postgres:")) {
            throw new IllegalArgumentException("expected jdbc:postgresql://HOST:PORT/DATABASE for PostgreSQL");
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return postgres(s);
        }
        String path;
        if (lower.startsWith("jdbc:sqlite:")) {
            path = s.substring("jdbc:sqlite:".length());
        } else if (lower.startsWith("sqlite:")) {
            path = s.substring("sqlite:".length());
        } else {
            throw new IllegalArgumentException(
                    "expected sqlite:PATH, jdbc:sqlite:PATH or jdbc:postgresql://HOST:PORT/DATABASE");
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
            return new Sqlite(s, Path.of(path));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("expected sqlite:PATH with a valid file path");
        }
    }

    private static StoreLocation postgres(String url) {
        String rest = url.substring("jdbc:postgresql:".length());
        if (!rest.startsWith("//") || rest.length() <= 2 || !rest.substring(2).contains("/")
                || rest.substring(2).startsWith("/") || rest.endsWith("/")) {
            throw new IllegalArgumentException("expected jdbc:postgresql://HOST:PORT/DATABASE with a host and a database");
        }
        // The configured value is printed (check-config, the ready line): a password in it would leak.
        if (url.toLowerCase(Locale.ROOT).contains("password=")) {
            throw new IllegalArgumentException(
                    "expected no password in the URL; set store-password or store-password-file instead");
        }
        if (url.contains("@")) {
            throw new IllegalArgumentException(
                    "expected no user@ in the URL; set store-user, and store-password or store-password-file");
        }
        return new Postgres(url, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
