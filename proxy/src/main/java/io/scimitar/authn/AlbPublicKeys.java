package io.scimitar.authn;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load balancer's ES256 public keys, one PEM per {@code kid} at {@code keyBaseUrl + kid}
 * ({@code https://public-keys.auth.elb.REGION.amazonaws.com/KID}). A key, once fetched, never
 * changes, so it is kept (bounded); fetches run on a thread of our own, deduplicated per kid and
 * rate-limited, because the kid comes from an unverified token.
 */
public final class AlbPublicKeys implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlbPublicKeys.class);

    /**
     * ALB key ids are UUIDs; anything outside this alphabet could bend the key URL (a {@code ../}
     * or a {@code ?}), so it is refused before any fetch.
     */
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9-]{1,128}");

    /** Outcome of one key fetch. */
    public enum FetchStatus { FETCHED, ALREADY_KNOWN, FAILED, RATE_LIMITED, INVALID_KID }

    private final URI keyBaseUrl;
    private final KeyEndpoint endpoint;
    private final Clock clock;
    private final long minFetchIntervalMillis;
    private final Cache<String, ECDSAVerifier> verifiers;
    private final Cache<String, Boolean> recentlyFailed;
    private final ConcurrentHashMap<String, CompletableFuture<FetchStatus>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong lastFetchMillis = new AtomicLong(Long.MIN_VALUE);
    /** The kid of the last key fetched: a request refused for it may have been decided just before. */
    private volatile String lastFetched;
    private final ExecutorService executor;

    private AlbPublicKeys(Builder b) {
        this.keyBaseUrl = b.keyBaseUrl;
        this.endpoint = new KeyEndpoint(b.fetchTimeout, 16 * 1024);
        this.clock = b.clock;
        this.minFetchIntervalMillis = b.minFetchInterval.toMillis();
        this.verifiers = Caffeine.newBuilder().maximumSize(b.maxKeys).build();
        this.recentlyFailed = Caffeine.newBuilder().maximumSize(1024)
                .expireAfterWrite(b.failedKidRetryAfter).ticker(() -> clock.millis() * 1_000_000L).build();
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "scimitar-alb-keys");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Keys for the region's public key endpoint, e.g. {@code
     * https://public-keys.auth.elb.us-east-1.amazonaws.com/}.
     */
    public static Builder builder(URI keyBaseUrl) {
        return new Builder(keyBaseUrl);
    }

    /** The verifier for {@code kid}, or {@code null} when it has not been fetched: never blocks. */
    /** True when the last key fetched is {@code kid}'s. */
    boolean fetchedLast(String kid) {
        return kid.equals(lastFetched);
    }

    ECDSAVerifier verifier(String kid) {
        return verifiers.getIfPresent(kid);
    }

    /** True when {@code kid} has the shape of an ALB key id (safe to put into the key URL). */
    static boolean isValidKid(String kid) {
        return kid != null && KID.matcher(kid).matches();
    }

    /**
     * Fetches the key for {@code kid} on the fetch thread unless it is known, already being fetched,
     * failed recently, or another fetch started less than the minimum interval ago.
     */
    public CompletableFuture<FetchStatus> fetch(String kid) {
        if (!isValidKid(kid)) {
            return CompletableFuture.completedFuture(FetchStatus.INVALID_KID);
        }
        if (verifiers.getIfPresent(kid) != null) {
            return CompletableFuture.completedFuture(FetchStatus.ALREADY_KNOWN);
        }
        CompletableFuture<FetchStatus> running = inFlight.get(kid);
        if (running != null) {
            return running;
        }
        if (recentlyFailed.getIfPresent(kid) != null) {
            return CompletableFuture.completedFuture(FetchStatus.RATE_LIMITED);
        }
        long now = clock.millis();
        long last = lastFetchMillis.get();
        if ((last != Long.MIN_VALUE && now - last < minFetchIntervalMillis) || !lastFetchMillis.compareAndSet(last, now)) {
            // A fetch of this very kid may have finished since the first look.
            return CompletableFuture.completedFuture(
                    verifiers.getIfPresent(kid) != null ? FetchStatus.ALREADY_KNOWN : FetchStatus.RATE_LIMITED);
        }
        CompletableFuture<FetchStatus> result = new CompletableFuture<>();
        CompletableFuture<FetchStatus> raced = inFlight.putIfAbsent(kid, result);
        if (raced != null) {
            return raced;
        }
        try {
            executor.execute(() -> {
                FetchStatus status = FetchStatus.FAILED;
                try {
                    status = load(kid);
                } finally {
                    // Leave the in-flight table before completing: a caller woken by the completion
                    // must not find this finished fetch there and be handed its stale result.
                    inFlight.remove(kid, result);
                    result.complete(status);
                }
            });
        } catch (RejectedExecutionException closed) {
            inFlight.remove(kid, result);
            result.complete(FetchStatus.FAILED);
        }
        return result;
    }

    private FetchStatus load(String kid) {
        URI uri = keyBaseUrl.resolve(kid);
        try {
            String pem = endpoint.get(uri, "application/x-pem-file, text/plain, */*").body();
            verifiers.put(kid, new ECDSAVerifier(parseP256(pem, uri)));
            lastFetched = kid;
            LOG.atInfo().setMessage("ALB public key fetched")
                    .addKeyValue("event", "alb_key_fetched")
                    .addKeyValue("kid", kid)
                    .log();
            return FetchStatus.FETCHED;
        } catch (IOException | GeneralSecurityException | JOSEException | RuntimeException e) {
            recentlyFailed.put(kid, Boolean.TRUE);
            LOG.atWarn().setMessage("ALB public key fetch failed")
                    .addKeyValue("event", "alb_key_fetch_failed")
                    .addKeyValue("url", uri)
                    .addKeyValue("error", e.getMessage())
                    .log();
            return FetchStatus.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FetchStatus.FAILED;
        }
    }

    /** An RFC 7468 {@code PUBLIC KEY} (SubjectPublicKeyInfo) that must be an EC key on P-256. */
    static ECPublicKey parseP256(String pem, URI source) throws IOException, GeneralSecurityException {
        String begin = "-----BEGIN PUBLIC KEY-----";
        String end = "-----END PUBLIC KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException(source + ": expected a PEM '" + begin + "' block");
        }
        String base64 = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": PEM body is not base64: " + e.getMessage(), e);
        }
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        if (!(key instanceof ECPublicKey ec) || !Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
            throw new IOException(source + ": expected an EC P-256 public key (ALB signs with ES256)");
        }
        return ec;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        endpoint.close();
    }

    /** Key URL, fetch bounds and rate limits. */
    public static final class Builder {
        private final URI keyBaseUrl;
        private Clock clock = Clock.systemUTC();
        private Duration minFetchInterval = Duration.ofSeconds(1);
        private Duration failedKidRetryAfter = Duration.ofSeconds(60);
        private Duration fetchTimeout = Duration.ofSeconds(5);
        private int maxKeys = 64;

        private Builder(URI keyBaseUrl) {
            Objects.requireNonNull(keyBaseUrl, "keyBaseUrl");
            String scheme = keyBaseUrl.getScheme();
            if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("ALB key URL must be http(s), was " + keyBaseUrl);
            }
            // resolve(kid) replaces the last segment unless the base ends in '/'
            this.keyBaseUrl = keyBaseUrl.toString().endsWith("/") ? keyBaseUrl : URI.create(keyBaseUrl + "/");
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** At most one key fetch per this interval, whatever the kid (default 1 s). */
        public Builder minFetchInterval(Duration interval) {
            this.minFetchInterval = JwksCache.Builder.positive("minFetchInterval", interval);
            return this;
        }

        /** A kid whose fetch failed is not tried again for this long (default 60 s). */
        public Builder failedKidRetryAfter(Duration interval) {
            this.failedKidRetryAfter = JwksCache.Builder.positive("failedKidRetryAfter", interval);
            return this;
        }

        public Builder fetchTimeout(Duration timeout) {
            this.fetchTimeout = JwksCache.Builder.positive("fetchTimeout", timeout);
            return this;
        }

        public Builder maxKeys(int maxKeys) {
            if (maxKeys < 1) {
                throw new IllegalArgumentException("maxKeys must be positive, was " + maxKeys);
            }
            this.maxKeys = maxKeys;
            return this;
        }

        public AlbPublicKeys build() {
            return new AlbPublicKeys(this);
        }
    }
}
