package io.scimitar.authn;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity provider's signing keys, fetched from its JWKS URL on a thread of our own and
 * published as an immutable {@link KeySnapshot}: requests only read the snapshot, never wait for
 * the network. Refreshes run ahead of need on a schedule (the configured interval, shortened by
 * {@code Cache-Control: max-age}); an unknown {@code kid} triggers a rate-limited refetch; a failed
 * fetch keeps the keys we have, so an IdP outage does not fail requests.
 */
public final class JwksCache implements KeySource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);

    /** What one fetch did, and when the schedule will fetch next. */
    public record FetchResult(Status status, int keyCount, Duration nextRefresh) {
    }

    /** How a fetch ended. */
    public enum Status {
        /** A new key set is published. */
        UPDATED,
        /** The fetch failed; the previous keys stay in use. */
        FAILED,
        /** An unknown-kid refetch came too soon after the last one and was not made. */
        RATE_LIMITED
    }

    private final URI url;
    private final KeyEndpoint endpoint;
    private final Clock clock;
    private final Duration refreshInterval;
    private final Duration minRefreshInterval;
    private final Duration unknownKeyRefetchInterval;
    private final Duration firstRetryDelay;
    private final ScheduledExecutorService executor;

    private final AtomicReference<KeySnapshot> snapshot = new AtomicReference<>(KeySnapshot.EMPTY);
    private final AtomicLong lastOnDemandFetchMillis = new AtomicLong(Long.MIN_VALUE);
    /** The last refetch for an unknown key, so requests that find it running can wait for it. */
    private volatile CompletableFuture<FetchResult> onDemand;
    // Only touched on the executor thread: fetches are serialized there.
    private Instant outageSince;
    private int consecutiveFailures;
    private ScheduledFuture<?> nextScheduled;
    private volatile boolean started;

    private JwksCache(Builder b) {
        this.url = b.url;
        this.endpoint = new KeyEndpoint(b.fetchTimeout, b.maxResponseBytes);
        this.clock = b.clock;
        this.refreshInterval = b.refreshInterval;
        this.minRefreshInterval = b.minRefreshInterval;
        this.unknownKeyRefetchInterval = b.unknownKeyRefetchInterval;
        this.firstRetryDelay = b.firstRetryDelay;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "scimitar-jwks");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static Builder builder(URI jwksUrl) {
        return new Builder(jwksUrl);
    }

    /** Fetches now and then keeps refreshing on the schedule; returns at once. */
    public void start() {
        started = true;
        refreshNow();
    }

    /**
     * Fetches the JWKS now, on the fetch thread; the future completes when the fetch has ended.
     * When started, the next scheduled refresh is planned from this fetch.
     */
    public CompletableFuture<FetchResult> refreshNow() {
        CompletableFuture<FetchResult> result = new CompletableFuture<>();
        try {
            executor.execute(() -> result.complete(fetchAndReschedule()));
        } catch (RejectedExecutionException closed) {
            result.complete(new FetchResult(Status.FAILED, snapshot.get().size(), Duration.ZERO));
        }
        return result;
    }

    /**
     * Refetches because a token named a key we lack, at most once per {@code
     * unknownKeyRefetchInterval}: a stream of forged {@code kid}s cannot turn into a stream of
     * requests to the IdP. Never blocks.
     */
    public CompletableFuture<FetchResult> refetchForUnknownKey() {
        long now = clock.millis();
        long last = lastOnDemandFetchMillis.get();
        boolean due = last == Long.MIN_VALUE || now - last >= unknownKeyRefetchInterval.toMillis();
        if (!due || !lastOnDemandFetchMillis.compareAndSet(last, now)) {
            // The refetch another request started moments ago is the one that may bring the key.
            CompletableFuture<FetchResult> running = onDemand;
            return running != null && !running.isDone() ? running : CompletableFuture.completedFuture(
                    new FetchResult(Status.RATE_LIMITED, snapshot.get().size(), Duration.ZERO));
        }
        CompletableFuture<FetchResult> fetch = refreshNow();
        onDemand = fetch;
        return fetch;
    }

    @Override
    public CompletableFuture<FetchResult> keyMissing(String kid) {
        return refetchForUnknownKey();
    }

    @Override
    public KeySnapshot snapshot() {
        return snapshot.get();
    }

    /** Readiness: at least one usable key has been fetched. */
    public boolean hasKeys() {
        return !snapshot.get().isEmpty();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        endpoint.close();
    }

    private FetchResult fetchAndReschedule() {
        FetchResult result = fetch();
        if (started && !executor.isShutdown()) {
            if (nextScheduled != null) {
                nextScheduled.cancel(false);
            }
            nextScheduled = executor.schedule(this::fetchAndReschedule, result.nextRefresh().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return result;
    }

    private FetchResult fetch() {
        Instant now = clock.instant();
        KeySnapshot fresh;
        Optional<Duration> maxAge;
        try {
            KeyEndpoint.Document document = endpoint.get(url, "application/jwk-set+json, application/json");
            JWKSet set = JWKSet.parse(document.body());
            fresh = KeySnapshot.of(set, now);
            maxAge = document.maxAge();
            if (fresh.isEmpty()) {
                // An empty set is far likelier an IdP glitch than a real rotation to no keys at all.
                throw new IOException("JWKS from " + url + " has no usable signature key (skipped: "
                        + fresh.skipped() + ")");
            }
        } catch (IOException | ParseException e) {
            return failed(now, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(now, "interrupted");
        } catch (RuntimeException e) {
            return failed(now, e.toString());
        }
        KeySnapshot previous = snapshot.get(); // only this thread writes it
        fresh = fresh.replacing(previous);
        snapshot.set(fresh);
        if (outageSince != null) {
            LOG.atInfo().setMessage("JWKS fetch recovered")
                    .addKeyValue("event", "jwks_fetch_recovered")
                    .addKeyValue("url", url)
                    .addKeyValue("outageSeconds", Duration.between(outageSince, now).toSeconds())
                    .log();
        }
        outageSince = null;
        consecutiveFailures = 0;
        if (!previous.keyIds().equals(fresh.keyIds())) {
            LOG.atInfo().setMessage("JWKS keys changed")
                    .addKeyValue("event", "jwks_keys_changed")
                    .addKeyValue("url", url)
                    .addKeyValue("kids", fresh.keyIds())
                    .addKeyValue("skipped", fresh.skipped())
                    .log();
        }
        return new FetchResult(Status.UPDATED, fresh.size(), nextRefresh(maxAge));
    }

    /** The next refresh: the configured interval, shortened (never below the floor) by the server's max-age. */
    private Duration nextRefresh(Optional<Duration> maxAge) {
        if (maxAge.isEmpty()) {
            return refreshInterval;
        }
        Duration age = maxAge.get();
        if (age.compareTo(minRefreshInterval) < 0) {
            return minRefreshInterval;
        }
        return age.compareTo(refreshInterval) > 0 ? refreshInterval : age;
    }

    private FetchResult failed(Instant now, String error) {
        consecutiveFailures++;
        KeySnapshot kept = snapshot.get();
        if (outageSince == null) {
            outageSince = now;
            // Once per outage: a down IdP must not flood the log at the retry rate.
            LOG.atWarn().setMessage("JWKS fetch failed; keeping the cached keys")
                    .addKeyValue("event", "jwks_fetch_failed")
                    .addKeyValue("url", url)
                    .addKeyValue("error", error)
                    .addKeyValue("cachedKeys", kept.size())
                    .log();
        } else {
            LOG.atDebug().setMessage("JWKS fetch still failing")
                    .addKeyValue("event", "jwks_fetch_failed")
                    .addKeyValue("url", url)
                    .addKeyValue("error", error)
                    .addKeyValue("failures", consecutiveFailures)
                    .log();
        }
        return new FetchResult(Status.FAILED, kept.size(), retryDelay());
    }

    /** Exponential back-off from the first retry delay, capped at the refresh interval. */
    private Duration retryDelay() {
        int doublings = Math.min(consecutiveFailures - 1, 20);
        Duration delay = firstRetryDelay.multipliedBy(1L << doublings);
        return delay.compareTo(refreshInterval) > 0 ? refreshInterval : delay;
    }

    /** The fetch schedule and its bounds; every duration is validated once here. */
    public static final class Builder {
        private final URI url;
        private Clock clock = Clock.systemUTC();
        private Duration refreshInterval = Duration.ofMinutes(5);
        private Duration minRefreshInterval = Duration.ofSeconds(30);
        private Duration unknownKeyRefetchInterval = Duration.ofSeconds(30);
        private Duration firstRetryDelay = Duration.ofSeconds(5);
        private Duration fetchTimeout = Duration.ofSeconds(5);
        private int maxResponseBytes = 512 * 1024;

        private Builder(URI url) {
            Objects.requireNonNull(url, "jwksUrl");
            String scheme = url.getScheme();
            if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("JWKS URL must be http(s), was " + url);
            }
            this.url = url;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often keys are refreshed when the server sets no shorter max-age (default 5 min). */
        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = positive("refreshInterval", interval);
            return this;
        }

        /** The floor under a short or {@code no-cache} max-age (default 30 s). */
        public Builder minRefreshInterval(Duration interval) {
            this.minRefreshInterval = positive("minRefreshInterval", interval);
            return this;
        }

        /** At most one unknown-kid refetch per this interval (default 30 s). */
        public Builder unknownKeyRefetchInterval(Duration interval) {
            this.unknownKeyRefetchInterval = positive("unknownKeyRefetchInterval", interval);
            return this;
        }

        /** The first retry after a failed fetch; doubles per failure up to the refresh interval (default 5 s). */
        public Builder firstRetryDelay(Duration delay) {
            this.firstRetryDelay = positive("firstRetryDelay", delay);
            return this;
        }

        public Builder fetchTimeout(Duration timeout) {
            this.fetchTimeout = positive("fetchTimeout", timeout);
            return this;
        }

        public Builder maxResponseBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1024, was " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        public JwksCache build() {
            if (minRefreshInterval.compareTo(refreshInterval) > 0) {
                throw new IllegalArgumentException("minRefreshInterval (" + minRefreshInterval
                        + ") must not exceed refreshInterval (" + refreshInterval + ")");
            }
            return new JwksCache(this);
        }

        static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
