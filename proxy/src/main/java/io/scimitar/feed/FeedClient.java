package io.scimitar.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.IndexBuilder;
import io.scimitar.index.MembershipIndex;
import io.scimitar.scim.store.Change;
import io.scimitar.scim.store.ChangeCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's side of the feed (docs/feed.md): a snapshot into the {@link DirectoryIndex}, then
 * every change after it, applied one whole change at a time; on any failure the next receiver,
 * after a capped, jittered backoff, resuming from the last applied version; on {@code 410} a fresh
 * snapshot. A receiver that answers {@code 503} or {@code 429} with {@code Retry-After} is not asked
 * again before then ({@link Pushback}) while another receiver is tried. It knows how old its view is ({@link #ageSeconds()}) and whether that is past the
 * staleness bound ({@link #stale()}).
 *
 * <p>It runs on its own thread with blocking I/O ({@link HttpClient} over HTTP/1.1, the body read
 * as an {@code InputStream}), never on the sidecar's event loops; a watchdog thread closes a
 * connection that has sent nothing for the read timeout (a receiver that vanished without a FIN).
 */
public final class FeedClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedClient.class);

    /** Three of the receivers' 5 s heartbeats. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofSeconds(5);

    private final List<URI> receivers;
    private final DirectoryIndex index;
    private final FeedToken token;
    private final Duration readTimeout;
    private final Backoff backoff;
    private final Pushback pushback;
    private final Freshness freshness;
    private final HttpClient http;
    private final Thread thread;
    private final ScheduledExecutorService watchdog;
    private final CountDownLatch closing = new CountDownLatch(1);
    /** The body being read, for the watchdog and {@link #close()}; null between connections. */
    private volatile InputStream body;
    private volatile long lastReadNanos = System.nanoTime();
    private volatile boolean closed;
    /** What the watchdog last logged, so a change of state is logged once. */
    private boolean reportedStale = true;

    private FeedClient(Builder builder, Backoff backoff) {
        this.receivers = builder.receivers;
        this.index = builder.index;
        this.token = builder.token;
        this.readTimeout = builder.readTimeout;
        this.backoff = backoff;
        this.pushback = new Pushback(receivers.size(), System::nanoTime);
        this.freshness = new Freshness(builder.maxStaleness);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(readTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.thread = Thread.ofPlatform().name("scimitar-feed").daemon(true).unstarted(this::run);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("scimitar-feed-watchdog").daemon(true).factory());
    }

    /**
     * A client that keeps {@code index} current from {@code receivers} (base URLs, tried in turn).
     * The index should start empty: the first snapshot replaces it.
     */
    public static Builder builder(List<URI> receivers, DirectoryIndex index, FeedToken token) {
        return new Builder(receivers, index, token);
    }

    /** Starts following; returns at once (the snapshot loads in the background, see {@link #ready()}). */
    public FeedClient start() {
        long tick = Math.max(10, Math.min(1_000, readTimeout.toMillis() / 4));
        watchdog.scheduleWithFixedDelay(this::watch, tick, tick, TimeUnit.MILLISECONDS);
        thread.start();
        return this;
    }

    /** The receivers' base URLs, in the order they are tried. */
    public List<URI> receivers() {
        return receivers;
    }

    /** Whether the view is older than the staleness bound, or no snapshot was loaded yet; cheap enough for every request. */
    public boolean stale() {
        return freshness.stale();
    }

    /** Whether a snapshot is loaded and the view is within the staleness bound (the {@code directory} readiness check). */
    public boolean ready() {
        return !freshness.stale();
    }

    /** Seconds since the last snapshot, change or heartbeat (since the start, before the first snapshot). */
    public double ageSeconds() {
        return freshness.ageSeconds();
    }

    private void run() {
        int at = 0;
        boolean snapshotNeeded = true;
        while (!closed) {
            URI receiver = receivers.get(at);
            try {
                if (snapshotNeeded) {
                    loadSnapshot(receiver);
                    snapshotNeeded = false;
                }
                follow(receiver);
            } catch (InterruptedException e) {
                return; // close() interrupts a connection attempt
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                boolean gone = e instanceof StatusException status && status.status == 410;
                snapshotNeeded |= gone;
                Optional<Duration> asked = e instanceof StatusException status ? status.retryAfter : Optional.empty();
                if (asked.isPresent()) {
                    pushback.hold(at, asked.get());
                }
                // Gone: this receiver is fine, the version is too old; anything else: try the next one
                // that did not ask to be left alone, or else wait for the one free soonest.
                at = gone ? at : pushback.next(at);
                Duration backoffWait = backoff.next();
                Duration asWanted = pushback.remaining(at);
                Duration wait = asWanted.compareTo(backoffWait) > 0 ? asWanted : backoffWait;
                var line = LOG.atWarn().setMessage(gone ? "the feed no longer holds the directory's version; taking a fresh snapshot"
                                : "the feed failed; reconnecting")
                        .addKeyValue("event", gone ? "feed_version_gone" : "feed_failed")
                        .addKeyValue("receiver", receiver.toString())
                        .addKeyValue("reason", e instanceof FeedProtocolException || e instanceof StatusException
                                ? e.getMessage() : e.toString())
                        .addKeyValue("directory_version", index.current().version())
                        .addKeyValue("next_receiver", receivers.get(at).toString())
                        .addKeyValue("retry_in_ms", wait.toMillis());
                asked.ifPresent(retryAfter -> line.addKeyValue("retry_after_ms", retryAfter.toMillis()));
                line.log();
                if (!pause(wait)) {
                    return;
                }
            }
        }
    }

    private void loadSnapshot(URI receiver) throws IOException, InterruptedException {
        long start = System.nanoTime();
        MembershipIndex fresh;
        try (InputStream in = open(receiver, "/feed/v1/snapshot", true)) {
            fresh = new SnapshotReader(new IndexBuilder(index.current())).read(new NdjsonLines(in, this::touch));
        } finally {
            body = null;
        }
        try {
            index.reset(fresh);
        } catch (IllegalArgumentException e) {
            throw new FeedProtocolException(receiver + " sent a snapshot that cannot replace the directory: "
                    + e.getMessage(), e);
        }
        confirmed();
        LOG.atInfo().setMessage("directory snapshot loaded from the feed")
                .addKeyValue("event", "feed_snapshot_loaded")
                .addKeyValue("receiver", receiver.toString())
                .addKeyValue("directory_version", fresh.version())
                .addKeyValue("users", fresh.userCount())
                .addKeyValue("groups", fresh.groupCount())
                .addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000).log();
    }

    /** Applies the change stream until it fails; it never ends normally (the stream does not end). */
    private void follow(URI receiver) throws IOException, InterruptedException {
        long after = index.current().version();
        try (InputStream in = open(receiver, "/feed/v1/changes?after=" + after, false)) {
            LOG.atInfo().setMessage("following the feed").addKeyValue("event", "feed_following")
                    .addKeyValue("receiver", receiver.toString()).addKeyValue("after", after).log();
            NdjsonLines lines = new NdjsonLines(in, this::touch);
            while (true) {
                ObjectNode line = lines.next()
                        .orElseThrow(() -> new FeedProtocolException("the change stream ended"));
                long number = lines.lineNumber();
                long applied = index.current().version();
                switch (line.path("type").asText("")) {
                    case "change" -> {
                        long version = SnapshotReader.wholeNumber(line, "version", number);
                        if (version != applied + 1) {
                            throw new FeedProtocolException("line " + number + ": change " + version
                                    + " does not follow version " + applied + " (expected " + (applied + 1) + ")");
                        }
                        index.apply(decode(line, number));
                        confirmed();
                    }
                    case "heartbeat" -> {
                        long version = SnapshotReader.wholeNumber(line, "version", number);
                        if (version != applied) {
                            throw new FeedProtocolException("line " + number + ": a heartbeat at version " + version
                                    + " while the last change received is " + applied);
                        }
                        confirmed();
                    }
                    // Room for additions within v1: a line of a kind this client does not know changes nothing.
                    default -> LOG.atDebug().setMessage("skipped a feed line of an unknown type")
                            .addKeyValue("event", "feed_line_skipped")
                            .addKeyValue("type", line.path("type").asText("")).log();
                }
            }
        } finally {
            body = null;
        }
    }

    private static Change decode(ObjectNode line, long number) throws FeedProtocolException {
        try {
            return ChangeCodec.fromJson(line);
        } catch (IllegalArgumentException e) {
            throw new FeedProtocolException("line " + number + ": not a change: " + e.getMessage(), e);
        }
    }

    /** GETs {@code pathAndQuery} from {@code receiver}; the 200 body, decompressed, or an exception. */
    private InputStream open(URI receiver, String pathAndQuery, boolean gzip) throws IOException, InterruptedException {
        URI uri = URI.create(receiver + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(readTimeout)
                .header("Authorization", "Bearer " + token.current())
                .header("Accept", "application/x-ndjson");
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        HttpResponse<InputStream> response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        InputStream raw = response.body();
        if (response.statusCode() != 200) {
            String detail;
            try (raw) {
                detail = new String(raw.readNBytes(300), StandardCharsets.UTF_8).strip();
            }
            int status = response.statusCode();
            // RFC 9110 §10.2.3: on 503 and 429 it says how long the receiver wants to be left alone.
            Optional<Duration> retryAfter = status == 503 || status == 429
                    ? response.headers().firstValue("Retry-After").flatMap(value -> Pushback.parse(value, Instant.now()))
                    : Optional.empty();
            throw new StatusException(uri, status, detail, retryAfter);
        }
        touch();
        body = raw;
        if (closed) {
            raw.close(); // close() ran while this request was in flight
        }
        String encoding = response.headers().firstValue("Content-Encoding").orElse("identity");
        return switch (encoding.strip().toLowerCase(Locale.ROOT)) {
            case "gzip" -> new GZIPInputStream(raw, 64 * 1024);
            case "identity" -> raw;
            default -> {
                raw.close();
                throw new FeedProtocolException(uri + " answered with Content-Encoding \"" + encoding
                        + "\", expected gzip or none");
            }
        };
    }

    private void touch() {
        lastReadNanos = System.nanoTime();
    }

    /** The feed just confirmed the view: it is current, and the connection is healthy. */
    private void confirmed() {
        freshness.heard();
        backoff.reset();
    }

    /** Waits {@code wait} unless the client closes meanwhile; false when it closed. */
    private boolean pause(Duration wait) {
        try {
            return !closing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** On the watchdog thread: drops a silent connection, and logs when the view turns stale or current. */
    private void watch() {
        InputStream open = body;
        if (open != null && System.nanoTime() - lastReadNanos > readTimeout.toNanos()) {
            LOG.atWarn().setMessage("the feed connection sent nothing within the read timeout; dropping it")
                    .addKeyValue("event", "feed_read_timeout")
                    .addKeyValue("read_timeout_ms", readTimeout.toMillis()).log();
            closeQuietly(open);
        }
        boolean stale = freshness.stale();
        if (stale != reportedStale) {
            reportedStale = stale;
            var line = stale ? LOG.atWarn().setMessage("the directory is stale: protected routes fail closed")
                    : LOG.atInfo().setMessage("the directory is current");
            line.addKeyValue("event", stale ? "directory_stale" : "directory_current")
                    .addKeyValue("directory_version", index.current().version())
                    .addKeyValue("age_seconds", freshness.ageSeconds()).log();
        }
    }

    /** Stops following; the index keeps its last version. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing.countDown();
        watchdog.shutdownNow();
        InputStream open = body;
        if (open != null) {
            closeQuietly(open);
        }
        http.shutdownNow(); // aborts a connection attempt or a wait for headers
        thread.interrupt();
        try {
            thread.join(readTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            LOG.atDebug().setMessage("closing a feed connection failed").addKeyValue("event", "feed_close_failed")
                    .setCause(e).log();
        }
    }

    /** A receiver answered something other than 200. */
    private static final class StatusException extends IOException {
        final int status;
        /** What it asked for with {@code Retry-After}, capped; empty when it asked nothing usable. */
        final Optional<Duration> retryAfter;

        StatusException(URI uri, int status, String detail, Optional<Duration> retryAfter) {
            super(uri + " answered " + status + (detail.isEmpty() ? "" : ": " + detail));
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }

    /** Configures a {@link FeedClient}; validates once, in {@link #build()}. */
    public static final class Builder {
        private final List<URI> receivers;
        private final DirectoryIndex index;
        private final FeedToken token;
        private Duration maxStaleness = Duration.ofSeconds(60);
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration backoffInitial = DEFAULT_BACKOFF_INITIAL;
        private Duration backoffCap = DEFAULT_BACKOFF_CAP;

        private Builder(List<URI> receivers, DirectoryIndex index, FeedToken token) {
            this.receivers = List.copyOf(receivers);
            this.index = Objects.requireNonNull(index, "index");
            this.token = Objects.requireNonNull(token, "token");
        }

        /** Past this age the view is stale ({@code feed.max-staleness}, 60 s by default). */
        public Builder maxStaleness(Duration maxStaleness) {
            this.maxStaleness = Objects.requireNonNull(maxStaleness, "maxStaleness");
            return this;
        }

        /** The bound on connecting, on waiting for response headers, and on silence between reads. */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
            return this;
        }

        /** The first retry's ceiling and the largest ceiling (the wait itself is random below it). */
        public Builder backoff(Duration initial, Duration cap) {
            this.backoffInitial = Objects.requireNonNull(initial, "initial");
            this.backoffCap = Objects.requireNonNull(cap, "cap");
            return this;
        }

        public FeedClient build() {
            if (receivers.isEmpty()) {
                throw new IllegalArgumentException("a feed client needs at least one receiver URL");
            }
            if (!maxStaleness.isPositive() || !readTimeout.isPositive()) {
                throw new IllegalArgumentException("maxStaleness and readTimeout must be positive, got "
                        + maxStaleness + " and " + readTimeout);
            }
            return new FeedClient(this, new Backoff(backoffInitial, backoffCap));
        }
    }
}
