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
 * here; a hit ~25 ns). Keyed by the token string itself: equality is exact, so no collision can
 * hand one user's identity to another, and a hit hashes with the JDK's vectorized {@code
 * String.hashCode} instead of a ~650 ns SHA-256 per request. The price is memory: an entry holds
 * its token (~1–2 KB), so the default 100,000 entries is ~150 MB only if that many distinct
 * <em>valid</em> tokens are live at once; forged tokens never enter. An entry expires at its
 * token's {@code exp} and no later than the maximum lifetime, which bounds how long a token signed
 * by a key the IdP has withdrawn keeps working. Rejections are not cached.
 */
public final class VerifiedTokenCache {

    public static final long DEFAULT_MAXIMUM_SIZE = 100_000;
    public static final Duration DEFAULT_MAXIMUM_LIFETIME = Duration.ofMinutes(10);

    private final Cache<String, VerifiedToken> cache;
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
                .recordStats()
                .build();
    }

    /**
     * The verified token for exactly this string and format, or {@code null}: a miss, an expired
     * entry, or a token verified through the other verifier (an ALB token sent as a bearer token
     * must pass the IdP's checks on its own). Allocates nothing.
     */
    VerifiedToken find(String token, TokenFormat format) {
        VerifiedToken hit = cache.getIfPresent(token);
        return hit != null && hit.format() == format ? hit : null;
    }

    /** Remembers a verified token until its {@code exp}; a token already expired is not stored. */
    void put(String token, VerifiedToken verified) {
        if (verified.expiresAt().isAfter(clock.instant())) {
            cache.put(token, verified);
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

    /** Per-entry lifetime: until the token's exp, capped by the maximum lifetime. */
    private record UntilExpiry(Clock clock, long maxLifetimeNanos) implements Expiry<String, VerifiedToken> {

        @Override
        public long expireAfterCreate(String token, VerifiedToken verified, long currentTime) {
            long remaining = Duration.between(clock.instant(), verified.expiresAt()).toNanos();
            return Math.max(0, Math.min(remaining, maxLifetimeNanos));
        }

        @Override
        public long expireAfterUpdate(String token, VerifiedToken verified, long currentTime, long currentDuration) {
            return expireAfterCreate(token, verified, currentTime);
        }

        @Override
        public long expireAfterRead(String token, VerifiedToken verified, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
