package io.scimitar.scim.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * How a {@link JdbcStore} reaches a PostgreSQL database: the JDBC URL, the credentials (when the
 * URL does not carry them), the pool size, and how often the store polls for changes that other
 * receivers committed in case a notification was lost. {@link #toString()} never shows the password.
 *
 * @param jdbcUrl      {@code jdbc:postgresql://HOST:PORT/DATABASE}
 * @param user         the database user; empty means the driver's default
 * @param password     the database user's password
 * @param passwordFile a file whose first line is the password, read again for every new connection so
 *                     that a rotated password is used without a restart; exclusive with {@code password}
 * @param maxPoolSize  connections in the pool (the store also holds one more, for LISTEN)
 * @param pollInterval the safety-net poll: the longest a change from another receiver can go unseen
 *                     when its notification was lost
 */
public record PostgresSettings(String jdbcUrl, Optional<String> user, Optional<String> password,
                               Optional<Path> passwordFile, int maxPoolSize, Duration pollInterval) {

    public static final int DEFAULT_POOL_SIZE = 8;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(passwordFile, "passwordFile");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("expected a jdbc:postgresql: URL, got " + jdbcUrl);
        }
        if (password.isPresent() && passwordFile.isPresent()) {
            throw new IllegalArgumentException("expected either a password or a password file, not both");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1, got " + maxPoolSize);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
    }

    /** The defaults for pool size and poll interval. */
    public static PostgresSettings of(String jdbcUrl, Optional<String> user, Optional<String> password) {
        return new PostgresSettings(jdbcUrl, user, password, Optional.empty(), DEFAULT_POOL_SIZE,
                DEFAULT_POLL_INTERVAL);
    }

    public PostgresSettings withPollInterval(Duration interval) {
        return new PostgresSettings(jdbcUrl, user, password, passwordFile, maxPoolSize, interval);
    }

    public PostgresSettings withMaxPoolSize(int size) {
        return new PostgresSettings(jdbcUrl, user, password, passwordFile, size, pollInterval);
    }

    /** These settings with the password taken from {@code file} (its first line) instead of a fixed one. */
    public PostgresSettings withPasswordFile(Path file) {
        return new PostgresSettings(jdbcUrl, user, Optional.empty(), Optional.of(file), maxPoolSize, pollInterval);
    }

    /**
     * The driver properties of every connection, without the credentials: {@link PostgresLogin} adds
     * those, as they are when the connection is made.
     */
    Properties connectionProperties() {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", "scimitar-receiver");
        // A dead peer (a failed-over server) is noticed by the poll's query; keepalive also catches
        // a silent LISTEN connection between polls.
        properties.setProperty("tcpKeepAlive", "true");
        return properties;
    }

    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + jdbcUrl + ", user=" + user.orElse("(driver default)")
                + ", password=" + (password.isPresent() ? "(set)" : passwordFile.map(f -> "(from " + f + ")").orElse("(none)"))
                + ", maxPoolSize=" + maxPoolSize
                + ", pollInterval=" + pollInterval + "]";
    }
}
