package io.scimitar.scim.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the change log to its retention: once a minute, on a thread of its own, it removes the
 * changes committed longer ago than the retention (always keeping the newest). A sidecar further
 * behind than that gets 410 from the feed and takes a fresh snapshot.
 */
public final class ChangeLogRetention implements AutoCloseable {

    /** {@code changelog.retention} when unset. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /** How often the log is compacted: old rows outlive the retention by at most this. */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(ChangeLogRetention.class);

    private final JdbcStore store;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    private ChangeLogRetention(JdbcStore store, Duration retention, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.isZero() || retention.isNegative()) {
            throw new IllegalArgumentException("the change-log retention must be positive, got " + retention);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("scimitar-changelog-retention").daemon().factory());
    }

    /** Compacts {@code store}'s log now and then every minute until closed. */
    public static ChangeLogRetention start(JdbcStore store, Duration retention, Clock clock) {
        ChangeLogRetention r = new ChangeLogRetention(store, retention, clock);
        r.scheduler.scheduleWithFixedDelay(r::compactQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return r;
    }

    /** Removes the changes older than the retention now, logging {@code changelog_compacted} when it removed any. */
    public JdbcStore.Compaction compact() {
        JdbcStore.Compaction done = store.compactChangeLog(clock.instant().minus(retention));
        if (done.removed() > 0) {
            LOG.atInfo().setMessage("removed changes older than the retention from the change log")
                    .addKeyValue("event", "changelog_compacted")
                    .addKeyValue("removed", done.removed())
                    .addKeyValue("oldestVersion", done.oldestVersion())
                    .addKeyValue("retention", retention.toString()).log();
        }
        return done;
    }

    private void compactQuietly() {
        try {
            compact();
        } catch (RuntimeException e) {
            // A failure must not end the schedule: the next run retries (the database may be back).
            LOG.atWarn().setMessage("could not compact the change log; retrying at the next interval")
                    .addKeyValue("event", "changelog_compaction_failed").setCause(e).log();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
