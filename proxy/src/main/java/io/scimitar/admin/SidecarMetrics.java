package io.scimitar.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scimitar.authz.Decision;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The sidecar's metrics, registered once on a {@link MeterRegistry}: decisions by outcome and
 * reason, request latency, token-cache hit ratio, directory version and age, upstream errors.
 * The per-request methods only index pre-registered meters: no tag building, no lookups by name.
 */
public final class SidecarMetrics {

    /** Requests decided, tagged {@code outcome} and {@code reason}. */
    public static final String REQUESTS = "scimitar.requests";
    /** Time from request head to decision and forwarding, as a histogram. */
    public static final String LATENCY = "scimitar.request.latency";
    /** Verified-token cache hits over lookups, 0..1. */
    public static final String TOKEN_CACHE_HIT_RATIO = "scimitar.token.cache.hit.ratio";
    /** The directory version the sidecar decides against. */
    public static final String DIRECTORY_VERSION = "scimitar.directory.version";
    /** Seconds since the directory last changed or was confirmed current. */
    public static final String DIRECTORY_AGE = "scimitar.directory.age";
    /** Failures talking to the app, tagged {@code kind} (refused, reset, timeout, ...). */
    public static final String UPSTREAM_ERRORS = "scimitar.upstream.errors";

    private final MeterRegistry registry;
    private final Counter[] decisions; // indexed by Reason.ordinal(); the reason fixes the outcome
    private final Timer latency;
    private final ConcurrentHashMap<String, Counter> upstreamErrors = new ConcurrentHashMap<>();

    /**
     * Registers every meter now.
     *
     * @param tokenCacheHitRatio the verified-token cache's hit ratio (0..1)
     * @param directoryVersion the current directory version
     * @param directoryAgeSeconds seconds since the directory was last known current
     */
    public SidecarMetrics(MeterRegistry registry, DoubleSupplier tokenCacheHitRatio, LongSupplier directoryVersion,
            DoubleSupplier directoryAgeSeconds) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(tokenCacheHitRatio, "tokenCacheHitRatio");
        Objects.requireNonNull(directoryVersion, "directoryVersion");
        Objects.requireNonNull(directoryAgeSeconds, "directoryAgeSeconds");
        Decision.Reason[] reasons = Decision.Reason.values();
        decisions = new Counter[reasons.length];
        for (Decision.Reason reason : reasons) {
            decisions[reason.ordinal()] = Counter.builder(REQUESTS)
                    .description("Requests decided by the sidecar, by outcome and reason")
                    .tag("outcome", tagValue(reason.outcome().name()))
                    .tag("reason", tagValue(reason.name()))
                    .register(registry);
        }
        latency = Timer.builder(LATENCY)
                .description("Time the sidecar spent on a request before it was answered or forwarded")
                .publishPercentileHistogram()
                .register(registry);
        // A gauge holds its state object weakly by default; these suppliers are lambdas nothing else
        // keeps, so without a strong reference they are collected and the gauge reads NaN.
        Gauge.builder(TOKEN_CACHE_HIT_RATIO, tokenCacheHitRatio, DoubleSupplier::getAsDouble)
                .description("Verified-token cache hit ratio")
                .strongReference(true)
                .register(registry);
        Gauge.builder(DIRECTORY_VERSION, directoryVersion, s -> (double) s.getAsLong())
                .description("Directory version decisions are made against")
                .strongReference(true)
                .register(registry);
        Gauge.builder(DIRECTORY_AGE, directoryAgeSeconds, DoubleSupplier::getAsDouble)
                .description("Seconds since the directory was last known current")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    /** Counts one decision and records how long it took; called once per request. */
    public void recordDecision(Decision decision, long nanos) {
        decisions[decision.reason().ordinal()].increment();
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Counts one failure talking to the app. The kinds are a small fixed set chosen by the
     * forwarder, so the counter per kind is created on first use and reused after.
     */
    public void recordUpstreamError(String kind) {
        Counter counter = upstreamErrors.get(kind);
        if (counter == null) {
            counter = upstreamErrors.computeIfAbsent(kind, k -> Counter.builder(UPSTREAM_ERRORS)
                    .description("Failures talking to the app, by kind")
                    .tag("kind", k)
                    .register(registry));
        }
        counter.increment();
    }

    private static String tagValue(String enumName) {
        return enumName.toLowerCase(java.util.Locale.ROOT);
    }
}
