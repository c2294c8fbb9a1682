package io.scimitar.scim.store;

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
 * @param maxPoolSize  connections in the pool (the store also holds one more, for LISTEN)
 * @param pollInterval the safety-net poll: the longest a change from another receiver can go unseen
 *                     when its notification was lost
 */
public record PostgresSettings(String jdbcUrl, Optional<String> user, Optional<String> password, int maxPoolSize,
                               Duration pollInterval) {

    public static final int DEFAULT_POOL_SIZE = 8;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("expected a jdbc:postgresql: URL, got " + jdbcUrl);
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
        return new PostgresSettings(jdbcUrl, user, password, DEFAULT_POOL_SIZE, DEFAULT_POLL_INTERVAL);
    }

    public PostgresSettings withPollInterval(Duration interval) {
        return new PostgresSettings(jdbcUrl, user, password, maxPoolSize, interval);
    }

    public PostgresSettings withMaxPoolSize(int size) {
        return new PostgresSettings(jdbcUrl, user, password, size, pollInterval);
    }

    /** The driver properties for a connection outside the pool (the LISTEN connection). */
    Properties connectionProperties() {
        Properties properties = new Properties();
        user.ifPresent(u -> properties.setProperty("user", u));
        password.ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("ApplicationName", "scimitar-receiver");
        // A dead peer (a failed-over server) is noticed by the poll's query; keepalive also catches
        // a silent LISTEN connection between polls.
        properties.setProperty("tcpKeepAlive", "true");
        return properties;
    }

    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + jdbcUrl + ", user=" + user.orElse("(driver default)")
                + ", password=" + (password.isPresent() ? "(set)" : "(none)") + ", maxPoolSize=" + maxPoolSize
                + ", pollInterval=" + pollInterval + "]";
    }
}
