package io.scimitar.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scimitar.admin.AdminServer;
import io.scimitar.admin.DecisionExplainer;
import io.scimitar.admin.ReadinessCheck;
import io.scimitar.admin.SidecarMetrics;
import io.scimitar.authn.AlbOidcDataVerifier;
import io.scimitar.authn.AlbPublicKeys;
import io.scimitar.authn.JwksCache;
import io.scimitar.authn.JwtAuthenticator;
import io.scimitar.authn.RequestAuthenticator;
import io.scimitar.authn.TokenExtractor;
import io.scimitar.authn.VerifiedTokenCache;
import io.scimitar.authz.PolicyException;
import io.scimitar.authz.PolicyLoader;
import io.scimitar.authz.PolicyWatcher;
import io.scimitar.config.ConfigException;
import io.scimitar.config.ConfigKey;
import io.scimitar.config.FeedConfig;
import io.scimitar.config.ScimitarConfig;
import io.scimitar.config.Secret;
import io.scimitar.config.SidecarConfig;
import io.scimitar.feed.FeedClient;
import io.scimitar.feed.FeedToken;
import io.scimitar.forward.ForwardSettings;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.MembershipIndex;
import io.scimitar.index.UserKey;
import io.scimitar.listen.AccessDecider;
import io.scimitar.listen.AuditLog;
import io.scimitar.listen.DecisionCheck;
import io.scimitar.listen.LiveConnections;
import io.scimitar.listen.PathNormalizer;
import io.scimitar.listen.SidecarServer;
import io.scimitar.listen.SidecarSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the sidecar from a validated configuration: the membership index, following either the
 * embedded SCIM receiver's change log or receivers over the feed, the policy (watched for changes), token verification, the
 * decision, metrics and audit, the listener in front of the app and the admin listener. The only
 * place that knows how the pieces fit together; each is started in order and, if a later one
 * fails, the earlier ones are closed again.
 */
public final class SidecarLauncher {

    /** The request-header bound: what nginx and Envoy accept by default is 8–60 KiB; ALB sends up to 64 KiB. */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    /** Idle keep-alive connections to the app kept per event loop. */
    static final int MAX_IDLE_UPSTREAM_PER_LOOP = 64;

    /** Below three heartbeats, a healthy feed's directory turns stale between two of them. */
    static final Duration LOW_STALENESS_BOUND = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(SidecarLauncher.class);

    private final DirectoryOpener directories;

    public SidecarLauncher(DirectoryOpener directories) {
        this.directories = Objects.requireNonNull(directories, "directories");
    }

    /**
     * Starts everything; returns once both listeners accept connections.
     *
     * @param extraScimTokens SCIM tokens accepted besides the configured ones (the demo's)
     * @throws ConfigException when the configuration cannot make a sidecar (no app, no policy, an
     *     invalid policy, no way to verify tokens, no directory or two of them)
     */
    public RunningSidecar start(ScimitarConfig config, List<Secret> extraScimTokens) {
        SidecarConfig sidecar = config.sidecar().requireComplete();
        FeedConfig feed = config.feed();
        boolean embedded = config.isSet(ConfigKey.SCIM_LISTEN) || !extraScimTokens.isEmpty();
        if (embedded && feed.followsReceivers()) {
            throw new ConfigException("the sidecar takes its directory from one place, but both are set: "
                    + ConfigKey.SCIM_LISTEN.display() + " runs the SCIM receiver in this process, "
                    + ConfigKey.FEED_URLS.display() + " follows receivers over the feed; keep one");
        }
        if (!embedded && !feed.followsReceivers()) {
            throw new ConfigException("the sidecar needs a directory: set " + ConfigKey.FEED_URLS.display()
                    + " to follow receivers over the feed (e.g. http://receiver-a:8081,http://receiver-b:8081), or "
                    + ConfigKey.SCIM_LISTEN.display() + " to run the SCIM receiver in this process (the embedded mode)");
        }
        if (!embedded) {
            feed.requireClientToken();
        }
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            PolicyWatcher policy = loadPolicy(sidecar);
            started.push(policy);
            UserKey userKey = UserKey.forAttribute(sidecar.userAttribute());
            Optional<RunningReceiver> receiver = Optional.empty();
            Optional<FeedClient> feedClient = Optional.empty();
            DirectoryIndex index;
            if (embedded) {
                RunningReceiver running = new ReceiverLauncher(directories).start(
                        extraScimTokens.isEmpty() ? config.requireTokens() : config, extraScimTokens);
                started.push(running);
                receiver = Optional.of(running);
                index = running.followIndex(userKey);
                started.push(index);
            } else {
                // Empty and stale until the first snapshot: protected routes answer 503, /readyz is not ready.
                index = new DirectoryIndex(MembershipIndex.empty(userKey));
                if (feed.maxStaleness().compareTo(LOW_STALENESS_BOUND) < 0) {
                    LOG.atWarn().setMessage("the staleness bound is close to the receivers' heartbeat (every 5 s):"
                            + " the directory will flip between stale and current").addKeyValue("event", "feed_staleness_bound_low")
                            .addKeyValue("max_staleness_ms", feed.maxStaleness().toMillis()).log();
                }
                FeedClient client = FeedClient.builder(feed.urls(), index, feedToken(feed))
                        .maxStaleness(feed.maxStaleness())
                        .build()
                        .start();
                started.push(client);
                feedClient = Optional.of(client);
            }
            BooleanSupplier directoryStale = feedClient.<BooleanSupplier>map(c -> c::stale).orElse(() -> false);
            // Embedded: the index follows the store's own log, so it is always current (age 0).
            DoubleSupplier directoryAge = feedClient.<DoubleSupplier>map(c -> c::ageSeconds).orElse(() -> 0.0);
            // Embedded: built from the store before the listener started.
            BooleanSupplier directoryReady = feedClient.<BooleanSupplier>map(c -> c::ready).orElse(() -> true);

            Optional<JwksCache> jwks = sidecar.jwksUrl().map(url -> JwksCache.builder(url).build());
            jwks.ifPresent(started::push);
            Optional<JwtAuthenticator> jwt = jwks.map(keys -> JwtAuthenticator.builder(keys)
                    .issuer(sidecar.issuer().orElseThrow())
                    .audience(sidecar.audience().orElseThrow())
                    .userClaim(sidecar.userClaim())
                    .build());
            Optional<AlbPublicKeys> albKeys = sidecar.albKeyUrl().filter(u -> sidecar.albOidc())
                    .map(url -> AlbPublicKeys.builder(url).build());
            albKeys.ifPresent(started::push);
            Optional<AlbOidcDataVerifier> alb = albKeys.map(keys -> AlbOidcDataVerifier.builder(keys)
                    .loadBalancerArn(sidecar.albArn().orElseThrow())
                    .userClaim(sidecar.userClaim())
                    .build());
            TokenExtractor extractor = TokenExtractor.builder()
                    .bearer(jwt.isPresent())
                    .albOidcData(alb.isPresent())
                    .cookie(sidecar.cookie())
                    .build();
            VerifiedTokenCache tokenCache = VerifiedTokenCache.create(VerifiedTokenCache.DEFAULT_MAXIMUM_SIZE,
                    VerifiedTokenCache.DEFAULT_MAXIMUM_LIFETIME);
            RequestAuthenticator authenticator = new RequestAuthenticator(extractor, jwt, alb, tokenCache);
            jwks.ifPresent(JwksCache::start);

            AccessDecider decider = new AccessDecider(policy::current, authenticator, index, directoryStale);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            started.push(registry::close);
            SidecarMetrics metrics = new SidecarMetrics(registry, () -> tokenCache.stats().hitRate(),
                    () -> index.current().version(), directoryAge);
            var check = new DecisionCheck(decider, index, metrics, new AuditLog());

            // Open WebSocket and HTTP/2 connections are checked again on every directory change
            // that touches their user, and all of them on every policy reload.
            LiveConnections live = LiveConnections.following(index, decider);
            started.push(live);
            policy.addListener(reloaded -> live.recheckAll());
            SidecarServer server = new SidecarServer(listenerSettings(sidecar), check, live,
                    metrics::recordUpstreamError).start();
            started.push(server);
            List<ReadinessCheck> checks = List.of(
                    ReadinessCheck.of("policy", () -> true), // loaded before anything started; reloads keep a valid one
                    ReadinessCheck.of("directory", directoryReady),
                    ReadinessCheck.of("keys", () -> jwks.map(JwksCache::hasKeys).orElse(true)),
                    ReadinessCheck.of("listener", () -> !server.draining()));
            AdminServer admin = new AdminServer(sidecar.adminListen().host(), sidecar.adminListen().port(), checks,
                    registry, new DecisionExplainer(decider, index, new PathNormalizer())).start();
            started.push(admin);
            return new RunningSidecar(receiver, feedClient.map(FeedClient::receivers).orElse(List.of()), index, server,
                    admin, sidecar, started);
        } catch (RuntimeException e) {
            closeAll(started, e);
            throw e;
        }
    }

    /** The fixed {@code feed.token} when set, else the first token of {@code feed.token-file}, re-read at each connection. */
    private static FeedToken feedToken(FeedConfig feed) {
        return feed.token().map(token -> FeedToken.fixed(token.reveal()))
                .orElseGet(() -> FeedToken.firstIn(feed.tokenFile().orElseThrow()));
    }

    private static PolicyWatcher loadPolicy(SidecarConfig sidecar) {
        PolicyWatcher policy;
        try {
            policy = new PolicyWatcher(sidecar.policy().orElseThrow(), new PolicyLoader());
        } catch (PolicyException e) {
            throw new ConfigException(ConfigKey.POLICY.display() + ": " + e.getMessage());
        }
        policy.start(PolicyWatcher.DEFAULT_INTERVAL);
        return policy;
    }

    static SidecarSettings listenerSettings(SidecarConfig sidecar) {
        URI upstream = sidecar.upstream().orElseThrow();
        var forward = new ForwardSettings(upstream.getHost(), upstream.getPort(), sidecar.connectTimeout(),
                sidecar.responseHeadersTimeout(), sidecar.idleTimeout(), sidecar.maxBodyBytes(),
                MAX_IDLE_UPSTREAM_PER_LOOP);
        var settings = new SidecarSettings(sidecar.listen().host(), sidecar.listen().port(),
                PathNormalizer.DEFAULT_MAX_LENGTH, MAX_HEADER_BYTES, sidecar.idleTimeout(), forward);
        // The config validated that tls.cert and tls.key come together.
        return sidecar.tlsCert().isPresent()
                ? settings.withTls(sidecar.tlsCert().get(), sidecar.tlsKey().orElseThrow()) : settings;
    }

    /** Closes in reverse order of starting; a failure to close is added to {@code cause}, not thrown. */
    static void closeAll(Deque<AutoCloseable> started, Throwable cause) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                }
            }
        }
    }
}
