package io.scimitar.scim.feed;

import io.scimitar.scim.Require;
import io.scimitar.scim.http.BearerTokens;
import java.time.Duration;
import java.util.Objects;

/**
 * The validated settings of the {@link Feed}. Build them with {@link #builder(BearerTokens)}; the
 * defaults are the protocol's (docs/feed.md) and sized for thousands of followers per receiver.
 *
 * @param tokens               the feed tokens, never the SCIM ones; read on every request, so rotation needs no restart
 * @param heartbeat            how long a change stream may stay silent before a heartbeat line is sent
 * @param maxPendingLines      lines a change stream may have written but not yet sent to a client that does
 *                             not read; past it the connection is closed and the client resumes elsewhere
 * @param backlogPage          changes read from the log per round trip while a stream catches up
 * @param maxSnapshots         snapshots streamed at once; more answer 503 (each holds a blocking thread)
 * @param stallTimeout         how long a client may stop reading (its channel unwritable) before its snapshot or stream is given up
 * @param snapshotMaxAge       how long a built gzip snapshot is served to later requests ({@link SharedSnapshot})
 * @param snapshotCacheBytes   the largest gzip snapshot kept in memory to share; a larger one is streamed per request
 */
public record FeedSettings(
        BearerTokens tokens,
        Duration heartbeat,
        int maxPendingLines,
        int backlogPage,
        int maxSnapshots,
        Duration stallTimeout,
        Duration snapshotMaxAge,
        long snapshotCacheBytes) {

    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    /** How long a gzip snapshot, once built, is served to later requests unless set otherwise. */
    public static final Duration DEFAULT_SNAPSHOT_MAX_AGE = Duration.ofSeconds(30);

    public FeedSettings {
        Objects.requireNonNull(tokens, "tokens");
        Require.positive("heartbeat", heartbeat);
        Require.positive("stallTimeout", stallTimeout);
        Require.positive("maxPendingLines", maxPendingLines);
        Require.positive("backlogPage", backlogPage);
        Require.positive("maxSnapshots", maxSnapshots);
        Require.positive("snapshotMaxAge", snapshotMaxAge);
        Require.positive("snapshotCacheBytes", snapshotCacheBytes);
    }

    public static Builder builder(BearerTokens tokens) {
        return new Builder(tokens);
    }


    /** Builder with the protocol's defaults: 5 s heartbeats, 10,000 pending lines, 4 snapshots at once, a shared snapshot up to 30 s old and 256 MiB. */
    public static final class Builder {
        private final BearerTokens tokens;
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private int maxPendingLines = 10_000;
        private int backlogPage = 1_000;
        private int maxSnapshots = 4;
        // Long enough for a sidecar paused by a full GC, short enough not to pin a thread for a dead one.
        private Duration stallTimeout = Duration.ofSeconds(60);
        // A deploy's sidecars ask within seconds of each other; 30 s of changes is little to catch up on.
        private Duration snapshotMaxAge = DEFAULT_SNAPSHOT_MAX_AGE;
        // 100,000 users with 2,000,000 memberships gzip to 47 MB (benchmarks/RESULTS.md): room for 5x that.
        private long snapshotCacheBytes = 256L << 20;

        private Builder(BearerTokens tokens) {
            this.tokens = tokens;
        }

        public Builder heartbeat(Duration value) {
            this.heartbeat = value;
            return this;
        }

        public Builder maxPendingLines(int value) {
            this.maxPendingLines = value;
            return this;
        }

        public Builder backlogPage(int value) {
            this.backlogPage = value;
            return this;
        }

        public Builder maxSnapshots(int value) {
            this.maxSnapshots = value;
            return this;
        }

        public Builder stallTimeout(Duration value) {
            this.stallTimeout = value;
            return this;
        }

        public Builder snapshotMaxAge(Duration value) {
            this.snapshotMaxAge = value;
            return this;
        }

        public Builder snapshotCacheBytes(long value) {
            this.snapshotCacheBytes = value;
            return this;
        }

        public FeedSettings build() {
            return new FeedSettings(tokens, heartbeat, maxPendingLines, backlogPage, maxSnapshots,
                    stallTimeout, snapshotMaxAge, snapshotCacheBytes);
        }
    }
}
