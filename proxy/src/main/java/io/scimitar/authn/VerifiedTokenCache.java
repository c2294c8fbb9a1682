package io.scimitar.authn;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Tokens already verified, so the common request does no signature work (ES256 costs ~390 µs
 * here; a hit ~25 ns). Keyed by a string compared exactly, so no collision can hand one user's
 * identity to another, and a hit hashes with the JDK's vectorized {@code String.hashCode} instead
 * of a ~650 ns SHA-256 per request. The request path keys an entry by the header value exactly as
 * received plus its {@link TokenSource}, so a hit needs neither extraction nor a copy of the token;
 * {@link RequestAuthenticator#authenticate(String, TokenFormat)} keys by the bare token. An entry
 * matches only the kind of key it was stored under: a bare token, a header value of one source. The
 * price is memory: an entry holds its key (~1–2 KB), so the default 100,000 entries is ~150 MB only
 * if that many distinct <em>valid</em> values are live at once; forged tokens never enter. An entry
 * expires at its token's {@code exp} and no later than the maximum lifetime, which bounds how long a
 * token signed by a key the IdP has withdrawn keeps working. Rejections are not cached. One cache
 * serves one {@link RequestAuthenticator}: an entry vouches for that authenticator's extraction and
 * verification rules.
 */
public final class VerifiedTokenCache {

    public static final long DEFAULT_MAXIMUM_SIZE = 100_000;
    public static final Duration DEFAULT_MAXIMUM_LIFETIME = Duration.ofMinutes(10);

    private final Cache<String, Entry> cache;
    private final Clock clock;

    /** A cache on the system clock and {@link System#nanoTime()}. */
    public static VerifiedTokenCache create(long maximumSize, Duration maximumLifetime) {
        return new VerifiedTokenCache(maximumSize, maximumLifetime, Clock.systemUTC(), Ticker.systemTicker());
    }

    /**
     * {@code clock} converts {@code exp} into a remaining lifetime when an entry is written; {@code
     * ticker} measures that lifetime afterwards. Both must run at the same rate (tests drive one fake
     * time through both).
     */
    public VerifiedTokenCache(long maximumSize, Duration maximumLifetime, Clock clock, Ticker ticker) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize must be positive, was " + maximumSize);
        }
        JwksCache.Builder.positive("maximumLifetime", maximumLifetime);
        this.clock = Objects.requireNonNull(clock, "clock");
        long maxLifetimeNanos = maximumLifetime.toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(ticker)
                .expireAfter(new UntilExpiry(clock, maxLifetimeNanos))
                // Caffeine replays reads into its eviction policy in batches. With the default executor
                // each batch is a task for ForkJoinPool.commonPool(), whose wrapper was the only
                // allocation of a hit (JFR, DecisionBenchmark). On the caller's thread the batch is a
                // short pass that allocates nothing; a read only tryLocks for it, so a hit never waits.
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    /**
     * The verified token for exactly this string and format, or {@code null}: a miss, an expired
     * entry, a token verified through the other verifier (an ALB token sent as a bearer token must
     * pass the IdP's checks on its own), or a header value stored by the request path. Allocates
     * nothing.
     */
    VerifiedToken find(String token, TokenFormat format) {
        Entry hit = cache.getIfPresent(token);
        return hit != null && hit.source == null && hit.verified.format() == format ? hit.verified : null;
    }

    /** Remembers a verified token until its {@code exp}; a token already expired is not stored. */
    void put(String token, VerifiedToken verified) {
        store(token, new Entry(verified, null));
    }

    /**
     * The verified token for exactly this header value as received from {@code source}, or {@code
     * null}; a value stored under another source or as a bare token never matches. Allocates nothing.
     */
    VerifiedToken findHeader(String headerValue, TokenSource source) {
        Entry hit = cache.getIfPresent(headerValue);
        return hit != null && hit.source == source ? hit.verified : null;
    }

    /** Remembers the header value a token was extracted from and verified, until the token's {@code exp}. */
    void putHeader(String headerValue, TokenSource source, VerifiedToken verified) {
        if (verified.format() != source.format()) {
            throw new IllegalArgumentException("a " + verified.format() + " token cannot come from " + source);
        }
        store(headerValue, new Entry(verified, source));
    }

    private void store(String key, Entry entry) {
        if (entry.verified.expiresAt().isAfter(clock.instant())) {
            cache.put(key, entry);
        }
    }

    /** Hits, misses and evictions, for the token-cache hit-ratio metric. */
    public CacheStats stats() {
        return cache.stats();
    }

    public long estimatedSize() {
        return cache.estimatedSize();
    }

    /** Forgets every token (e.g. after the IdP withdrew a signing key). */
    public void invalidateAll() {
        cache.invalidateAll();
    }

    /** Runs pending evictions now; Caffeine otherwise does it in small batches on later calls. */
    void cleanUp() {
        cache.cleanUp();
    }

    /** A verified token and the source whose header value is its key; {@code null} when keyed by the bare token. */
    private record Entry(VerifiedToken verified, TokenSource source) {
    }

    /** Per-entry lifetime: until the token's exp, capped by the maximum lifetime. */
    private record UntilExpiry(Clock clock, long maxLifetimeNanos) implements Expiry<String, Entry> {

        @Override
        public long expireAfterCreate(String key, Entry entry, long currentTime) {
            long remaining = Duration.between(clock.instant(), entry.verified.expiresAt()).toNanos();
            return Math.max(0, Math.min(remaining, maxLifetimeNanos));
        }

        @Override
        public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
            return expireAfterCreate(key, entry, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
