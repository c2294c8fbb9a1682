package io.scimitar.authn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Entries live until their token's exp (capped by the maximum lifetime), and a hit is the same object. */
class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private final TestTime time = new TestTime(NOW);
    private final VerifiedTokenCache cache = new VerifiedTokenCache(1_000, Duration.ofMinutes(10), time, time);

    private static VerifiedToken verified(Instant exp) {
        return new VerifiedToken("ada@example.com", exp, TokenFormat.IDP_JWT, "0011223344556677");
    }

    @Test
    void aHitReturnsTheSameInstance() {
        VerifiedToken token = verified(NOW.plusSeconds(60));
        cache.put("t1", token);

        assertThat(cache.find("t1", TokenFormat.IDP_JWT)).isSameAs(token);
        assertThat(cache.find("t2", TokenFormat.IDP_JWT)).isNull();
        assertThat(cache.stats().hitCount()).isEqualTo(1);
        assertThat(cache.stats().missCount()).isEqualTo(1);
    }

    @Test
    void anEntryNeverOutlivesItsTokensExp() {
        cache.put("t1", verified(NOW.plusSeconds(60)));

        time.advance(Duration.ofSeconds(59));
        assertThat(cache.find("t1", TokenFormat.IDP_JWT)).isNotNull();
        time.advance(Duration.ofSeconds(1));
        assertThat(cache.find("t1", TokenFormat.IDP_JWT)).isNull();
    }

    @Test
    void theMaximumLifetimeCapsLongTokens() {
        cache.put("t1", verified(NOW.plus(Duration.ofHours(12))));

        time.advance(Duration.ofMinutes(10).minusNanos(1));
        assertThat(cache.find("t1", TokenFormat.IDP_JWT)).isNotNull();
        time.advance(Duration.ofNanos(1));
        assertThat(cache.find("t1", TokenFormat.IDP_JWT)).isNull();
    }

    @Test
    void anExpiredTokenIsNotStored() {
        cache.put("t1", verified(NOW));
        cache.put("t2", verified(NOW.minusSeconds(1)));

        assertThat(cache.estimatedSize()).isZero();
    }

    @Test
    void aTokenVerifiedByOneVerifierIsNotAHitForTheOther() {
        cache.put("t1", verified(NOW.plusSeconds(60)));

        assertThat(cache.find("t1", TokenFormat.ALB_OIDC_DATA)).isNull();
    }

    @Test
    void theSizeIsBounded() {
        VerifiedTokenCache small = new VerifiedTokenCache(10, Duration.ofMinutes(10), time, time);
        for (int i = 0; i < 1_000; i++) {
            small.put("t" + i, verified(NOW.plusSeconds(60)));
        }
        small.cleanUp();

        assertThat(small.estimatedSize()).isLessThanOrEqualTo(10);
    }

    @Test
    void invalidateAllForgetsEverything() {
        cache.put("t1", verified(NOW.plusSeconds(60)));
        cache.invalidateAll();

        assertThat(cache.find("t1", TokenFormat.IDP_JWT)).isNull();
    }
}
