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
 */
public record FeedSettings(
        BearerTokens tokens,
        Duration heartbeat,
        int maxPendingLines,
        int backlogPage,
        int maxSnapshots,
        Duration stallTimeout) {

    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);

    public FeedSettings {
        Objects.requireNonNull(tokens, "tokens");
        Require.positive("heartbeat", heartbeat);
        Require.positive("stallTimeout", stallTimeout);
        Require.positive("maxPendingLines", maxPendingLines);
        Require.positive("backlogPage", backlogPage);
        Require.positive("maxSnapshots", maxSnapshots);
    }

    public static Builder builder(BearerTokens tokens) {
        return new Builder(tokens);
    }


    /** Builder with the protocol's defaults: 5 s heartbeats, 10,000 pending lines, 4 snapshots at once. */
    public static final class Builder {
        private final BearerTokens tokens;
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private int maxPendingLines = 10_000;
        private int backlogPage = 1_000;
        private int maxSnapshots = 4;
        // Long enough for a sidecar paused by a full GC, short enough not to pin a thread for a dead one.
        private Duration stallTimeout = Duration.ofSeconds(60);

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

        public FeedSettings build() {
            return new FeedSettings(tokens, heartbeat, maxPendingLines, backlogPage, maxSnapshots,
                    stallTimeout);
        }
    }
}
