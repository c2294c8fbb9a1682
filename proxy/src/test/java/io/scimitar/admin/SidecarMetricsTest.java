package io.scimitar.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scimitar.authz.Decision;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SidecarMetricsTest {

    @Test
    void everyReasonHasItsCounterBeforeAnyRequest() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SidecarMetrics(registry, () -> 0, () -> 0, () -> 0);
        for (Decision.Reason reason : Decision.Reason.values()) {
            assertThat(registry.find(SidecarMetrics.REQUESTS)
                    .tag("outcome", reason.outcome().name().toLowerCase(Locale.ROOT))
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT)).counter())
                    .as("counter for %s", reason).isNotNull();
        }
        assertThat(registry.find(SidecarMetrics.REQUESTS).counters()).hasSize(Decision.Reason.values().length);
    }

    @Test
    void decisionsCountByReasonAndTimeTheRequest() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SidecarMetrics metrics = new SidecarMetrics(registry, () -> 0.5, () -> 9, () -> 1.5);
        metrics.recordDecision(Decision.noRoute(9), 2_000_000);
        metrics.recordUpstreamError("timeout");
        metrics.recordUpstreamError("timeout");

        assertThat(registry.get(SidecarMetrics.REQUESTS).tag("reason", "no_route").counter().count()).isEqualTo(1.0);
        assertThat(Arrays.stream(Decision.Reason.values()).filter(r -> r != Decision.Reason.NO_ROUTE)
                .mapToDouble(r -> registry.get(SidecarMetrics.REQUESTS)
                        .tag("reason", r.name().toLowerCase(Locale.ROOT)).counter().count()).sum()).isZero();
        assertThat(registry.get(SidecarMetrics.LATENCY).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2.0);
        assertThat(registry.get(SidecarMetrics.UPSTREAM_ERRORS).tag("kind", "timeout").counter().count())
                .isEqualTo(2.0);
        assertThat(registry.get(SidecarMetrics.TOKEN_CACHE_HIT_RATIO).gauge().value()).isEqualTo(0.5);
        assertThat(registry.get(SidecarMetrics.DIRECTORY_VERSION).gauge().value()).isEqualTo(9.0);
        assertThat(registry.get(SidecarMetrics.DIRECTORY_AGE).gauge().value()).isEqualTo(1.5);
    }
}
