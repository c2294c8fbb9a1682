package io.scimitar.scim.store;

import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.util.Credentials;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a store logs in to PostgreSQL: the user and the password as they are when a connection is
 * made. A password file is read again for every new connection (pooled or the LISTEN connection),
 * so a password rotated by rewriting the file is used without a restart; making a connection costs
 * far more than reading a one-line file.
 */
final class PostgresLogin implements HikariCredentialsProvider {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresLogin.class);

    /** PostgreSQL's invalid_password and invalid_authorization_specification. */
    private static final String INVALID_PASSWORD = "28P01";
    private static final String INVALID_AUTHORIZATION = "28000";

    private final PostgresSettings settings;
    private final Object fileLock = new Object();
    /** The password last read from the file; kept when the file cannot be read (a rotation in progress). */
    private Optional<String> lastRead = Optional.empty();

    /** Reads the password file once, so that a missing or empty file fails the start with its name. */
    PostgresLogin(PostgresSettings settings) {
        this.settings = settings;
        settings.passwordFile().ifPresent(file -> {
            try {
                lastRead = Optional.of(read(file));
            } catch (IOException e) {
                throw new StoreUnavailableException("cannot read the store password file " + file + ": " + describe(e), e);
            }
        });
    }

    PostgresSettings settings() {
        return settings;
    }

    /** The credentials for the pool's next connection. */
    @Override
    public Credentials getCredentials() {
        Optional<String> password = password();
        // With no user HikariCP would connect without the password: name the driver's default user.
        String user = settings.user().orElse(password.isPresent() ? System.getProperty("user.name") : null);
        return Credentials.of(user, password.orElse(null));
    }

    /** A connection outside the pool (the LISTEN connection), with the current credentials. */
    Connection connect() throws SQLException {
        Properties properties = settings.connectionProperties();
        settings.user().ifPresent(u -> properties.setProperty("user", u));
        password().ifPresent(p -> properties.setProperty("password", p));
        try {
            return DriverManager.getConnection(settings.jdbcUrl(), properties);
        } catch (SQLException e) {
            throw explainRefusal(e);
        }
    }

    /**
     * {@code failure}, or when the server refused the credentials an exception that says whose and
     * where the password came from (never the password).
     */
    SQLException explainRefusal(SQLException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e
                    && (INVALID_PASSWORD.equals(e.getSQLState()) || INVALID_AUTHORIZATION.equals(e.getSQLState()))) {
                return new SQLException("the database refused user " + settings.user().orElse("(driver default)")
                        + " with " + passwordSource() + ": " + e.getMessage(), e.getSQLState(), failure);
            }
        }
        return failure;
    }

    private String passwordSource() {
        if (settings.password().isPresent()) {
            return "the configured password";
        }
        return settings.passwordFile().map(f -> "the password in " + f).orElse("no password");
    }

    private Optional<String> password() {
        if (settings.passwordFile().isEmpty()) {
            return settings.password();
        }
        Path file = settings.passwordFile().get();
        synchronized (fileLock) {
            try {
                String current = read(file);
                if (lastRead.isPresent() && !lastRead.get().equals(current)) {
                    LOG.atInfo().setMessage("the store password file changed; new connections use its password")
                            .addKeyValue("event", "store_password_reloaded")
                            .addKeyValue("file", file.toString()).log();
                }
                lastRead = Optional.of(current);
            } catch (IOException e) {
                LOG.atWarn().setMessage("cannot read the store password file; using the password read before")
                        .addKeyValue("event", "store_password_file_unreadable")
                        .addKeyValue("file", file.toString()).addKeyValue("reason", describe(e)).log();
            }
            return lastRead;
        }
    }

    /** The file's first line (a trailing newline is not part of the password). */
    private static String read(Path file) throws IOException {
        String line = Files.readString(file).lines().findFirst().orElse("");
        if (line.isEmpty()) {
            throw new IOException("expected the password on the file's first line; it is empty");
        }
        return line;
    }

    private static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException ignored -> "no such file";
            case AccessDeniedException ignored -> "permission denied";
            default -> e.getMessage();
        };
    }
}
