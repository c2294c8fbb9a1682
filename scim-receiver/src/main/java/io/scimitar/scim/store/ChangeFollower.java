package io.scimitar.scim.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the changes that other receivers commit to the same PostgreSQL database to this store's
 * change-log listeners. One thread LISTENs on a dedicated connection; on a notification, and at
 * every poll interval in case a notification was lost, it reads the rows after the last published
 * version on that connection (so a dead connection shows within one interval) and publishes them.
 * When the connection fails it reconnects with a backoff, listens again, and catches up.
 */
final class ChangeFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final PostgresLogin login;
    private final PostgresSettings settings;
    private final JdbcChangeLog log;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Connection connection;

    ChangeFollower(PostgresLogin login, JdbcChangeLog log) {
        this.login = login;
        this.settings = login.settings();
        this.log = log;
        this.thread = Thread.ofPlatform().name("scimitar-change-follower").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private boolean closing() {
        return closing.getCount() == 0;
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (!closing()) {
            try (Connection c = listen()) {
                connection = c;
                if (closing()) {
                    return;
                }
                backoff = FIRST_BACKOFF;
                // Notifications sent while this store was not listening are lost: read what is new.
                log.catchUp((after, limit) -> JdbcStore.readAfter(c, after, limit));
                follow(c);
            } catch (SQLException | RuntimeException e) {
                if (closing()) {
                    return;
                }
                LOG.atWarn().setMessage("lost the change notifications; reconnecting")
                        .addKeyValue("event", "store_follower_disconnected")
                        .addKeyValue("retryInMillis", backoff.toMillis()).setCause(e).log();
                try {
                    if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(settings.pollInterval()) > 0
                        ? settings.pollInterval() : backoff.multipliedBy(2);
            } finally {
                connection = null;
            }
        }
    }

    private Connection listen() throws SQLException {
        Connection c = login.connect();
        try (Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("LISTEN " + Dialect.NOTIFY_CHANNEL);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void follow(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        int pollMillis = (int) Math.min(Integer.MAX_VALUE, settings.pollInterval().toMillis());
        while (!closing()) {
            PGNotification[] notifications = pg.getNotifications(pollMillis);
            if (notifications.length > 0 && newestOf(notifications) <= log.publishedVersion()) {
                continue; // this store's own commits, published already by the committing thread
            }
            log.catchUp((after, limit) -> JdbcStore.readAfter(c, after, limit));
        }
    }

    private static long newestOf(PGNotification[] notifications) {
        long newest = Long.MIN_VALUE;
        for (PGNotification n : notifications) {
            try {
                newest = Math.max(newest, Long.parseLong(n.getParameter()));
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE; // not ours to interpret: read the table
            }
        }
        return newest;
    }

    @Override
    public void close() {
        closing.countDown();
        Connection c = connection;
        if (c != null) {
            try {
                // abort, not close: close would wait for the lock that getNotifications holds.
                c.abort(Runnable::run);
            } catch (SQLException e) {
                LOG.atDebug().setMessage("aborting the LISTEN connection failed").setCause(e).log();
            }
        }
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
