package io.scimitar.scim.feed;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.scimitar.scim.http.BearerTokens;
import io.scimitar.scim.http.ScimServer;
import io.scimitar.scim.store.ChangeLog;
import io.scimitar.scim.store.JdbcStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed the sidecars follow (docs/feed.md): {@code GET /feed/v1/snapshot} and
 * {@code GET /feed/v1/changes?after=V}, served on the SCIM server's port with their own bearer
 * tokens. Mount it with {@link ScimServer#ScimServer(io.scimitar.scim.http.ScimServerSettings,
 * io.scimitar.scim.service.ScimService, ScimServer.Mount)}; {@link #off()} answers 404 under {@code /feed}.
 */
public final class Feed implements ScimServer.Mount {

    /** Fired on each feed connection by {@link #drain()}: end the response, close the connection. */
    static final Object DRAIN = new Object();

    private static final Logger LOG = LoggerFactory.getLogger(Feed.class);

    private final Optional<Live> live;
    private final ChannelGroup channels = new DefaultChannelGroup("feed-connections", GlobalEventExecutor.INSTANCE);
    private volatile boolean draining;

    /** What an enabled feed serves from. */
    record Live(FeedSettings settings, ChangeLog log, SnapshotReader snapshots, ChangeFanout fanout,
            Semaphore snapshotSlots, SharedSnapshot shared) {
    }

    private Feed(Optional<Live> live) {
        this.live = live;
    }

    /** No feed token configured: everything under {@code /feed} answers 404. */
    public static Feed off() {
        return new Feed(Optional.empty());
    }

    /** The feed over {@code store}'s change log and snapshots. */
    public static Feed on(FeedSettings settings, JdbcStore store) {
        return on(settings, store.changeLog(), store::streamSnapshot);
    }

    /** The feed over a change log and a snapshot reader of the same store; follows the log from now on. */
    public static Feed on(FeedSettings settings, ChangeLog log, SnapshotReader snapshots) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(snapshots, "snapshots");
        // The shared snapshot's builds take the same slots as live ones: together at most maxSnapshots read the store.
        Semaphore slots = new Semaphore(settings.maxSnapshots());
        return new Feed(Optional.of(new Live(settings, log, snapshots, new ChangeFanout(log), slots,
                new SharedSnapshot(settings, log, snapshots, slots))));
    }

    @Override
    public ChannelHandler newHandler(ExecutorService blocking) {
        return new FeedHandler(this, blocking);
    }

    /** Stops following the log; change streams end and snapshots in progress are cut (the client retries). */
    @Override
    public void drain() {
        draining = true;
        live.ifPresent(l -> l.fanout().close());
        channels.forEach(ch -> ch.pipeline().fireUserEventTriggered(DRAIN));
    }

    Optional<Live> live() {
        return live;
    }

    boolean draining() {
        return draining;
    }

    /** Open connections that have carried a feed response. */
    int connections() {
        return channels.size();
    }

    /** Remembers a connection that carries a feed response, so {@link #drain()} can end it. */
    void track(Channel channel) {
        channels.add(channel);
    }

    /**
     * The checks every feed request passes, on a blocking thread (a token file may be re-read):
     * a feed token (never a SCIM one), then the method.
     */
    Optional<Refusal> authorize(FeedSettings settings, FeedRequest request) {
        Optional<String> token = request.bearerToken();
        if (token.isEmpty()) {
            return Optional.of(Refusal.unauthorized("a feed bearer token is required"));
        }
        if (!settings.tokens().accepts(token.get())) {
            LOG.atInfo().setMessage("feed token rejected").addKeyValue("event", "feed_token_rejected")
                    .addKeyValue("path", request.path())
                    .addKeyValue("token_sha256", BearerTokens.fingerprint(token.get())).log();
            return Optional.of(new Refusal(HttpResponseStatus.UNAUTHORIZED, "the feed token is not valid",
                    Map.of(HttpHeaderNames.WWW_AUTHENTICATE.toString(), Refusal.CHALLENGE + ", error=\"invalid_token\"")));
        }
        if (!HttpMethod.GET.equals(request.method())) {
            return Optional.of(new Refusal(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "the feed answers GET only", Map.of(HttpHeaderNames.ALLOW.toString(), "GET")));
        }
        return Optional.empty();
    }
}
