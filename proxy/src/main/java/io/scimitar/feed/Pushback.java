package io.scimitar.feed;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What the receivers asked for with {@code Retry-After} on a {@code 503} or {@code 429}: for each
 * receiver, the time before which it is not asked again, and which receiver to try next given that
 * (the next one in turn that is not waiting, else the one whose wait ends first).
 */
final class Pushback {

    /**
     * The longest wait a receiver can ask for. A receiver asks for 2 or 5 s; 60 s is the default
     * {@code feed.max-staleness}, so a broken or hostile header costs at most one staleness window
     * of retrying that receiver, and never parks the client past it.
     */
    static final Duration CAP = Duration.ofSeconds(60);

    private final LongSupplier nanoTime;
    /** Per receiver, in {@link #nanoTime} terms: not asked again before this. */
    private final long[] notBefore;

    Pushback(int receivers, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.notBefore = new long[receivers];
        Arrays.fill(notBefore, nanoTime.getAsLong());
    }

    /**
     * A {@code Retry-After} value (RFC 9110 §10.2.3: delta-seconds or an HTTP-date) as a wait from
     * {@code now}, at most {@link #CAP}; a date in the past is no wait; anything else is empty (ignored).
     */
    static Optional<Duration> parse(String value, Instant now) {
        String text = value.strip();
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // Nine digits fit a long of seconds with room to spare; more is past the cap anyway.
            return Optional.of(text.length() > 9 ? CAP : min(Duration.ofSeconds(Long.parseLong(text))));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? min(Duration.between(now, at)) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration min(Duration wait) {
        return wait.compareTo(CAP) > 0 ? CAP : wait;
    }

    /** {@code receiver} asked not to be asked again for {@code wait}. */
    void hold(int receiver, Duration wait) {
        notBefore[receiver] = nanoTime.getAsLong() + wait.toNanos();
    }

    /** How long {@code receiver} still asked to be left alone; zero when it is free. */
    Duration remaining(int receiver) {
        return Duration.ofNanos(Math.max(0, notBefore[receiver] - nanoTime.getAsLong()));
    }

    /** The receiver to try after {@code failed}: the next in turn that is free ({@code failed} itself last), else the one free soonest. */
    int next(int failed) {
        int soonest = -1;
        for (int i = 1; i <= notBefore.length; i++) {
            int candidate = (failed + i) % notBefore.length;
            if (remaining(candidate).isZero()) {
                return candidate;
            }
            if (soonest < 0 || notBefore[candidate] - notBefore[soonest] < 0) {
                soonest = candidate;
            }
        }
        return soonest;
    }
}
