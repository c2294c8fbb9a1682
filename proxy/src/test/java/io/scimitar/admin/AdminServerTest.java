package io.scimitar.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scimitar.authz.Decision;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicBoolean directoryLoaded = new AtomicBoolean(false);
    private PrometheusMeterRegistry registry;
    private SidecarMetrics metrics;
    private AdminServer server;

    private record Check(String name, AtomicBoolean flag) implements ReadinessCheck {
        @Override
        public boolean ready() {
            return flag.get();
        }
    }

    @BeforeEach
    void start() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics = new SidecarMetrics(registry, () -> 0.75, () -> 42L, () -> 3.0);
        // A small explainer that echoes its input: the real one comes with the pipeline.
        Explainer explainer = (user, method, path) -> JSON.createObjectNode()
                .put("user", user).put("method", method).put("path", path).put("outcome", "deny");
        server = new AdminServer("127.0.0.1", 0,
                List.of(new Check("policy", new AtomicBoolean(true)), new Check("directory", directoryLoaded)),
                registry, explainer).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthzIsLive() throws Exception {
        HttpResponse<String> response = get("/healthz");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok\n");
    }

    @Test
    void readyzFlipsWithItsChecks() throws Exception {
        HttpResponse<String> notReady = get("/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(notReady.body());
        assertThat(body.path("ready").asBoolean(true)).isFalse();
        assertThat(body.path("checks").path("policy").asBoolean()).isTrue();
        assertThat(body.path("checks").path("directory").asBoolean(true)).isFalse();

        directoryLoaded.set(true);
        HttpResponse<String> ready = get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).path("checks").path("directory").asBoolean()).isTrue();
    }

    @Test
    void metricsShowRecordedDecisions() throws Exception {
        metrics.recordDecision(Decision.noRoute(7), 1_500_000);
        metrics.recordDecision(Decision.noRoute(7), 2_500_000);
        metrics.recordUpstreamError("refused");

        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/plain"));
        assertThat(response.body())
                .contains("scimitar_requests_total{outcome=\"deny\",reason=\"no_route\"} 2.0")
                .contains("scimitar_requests_total{outcome=\"allow\",reason=\"public_route\"} 0.0")
                .contains("scimitar_request_latency_seconds_bucket")
                .contains("scimitar_request_latency_seconds_count 2")
                .contains("scimitar_token_cache_hit_ratio 0.75")
                .contains("scimitar_directory_version 42.0")
                .contains("scimitar_directory_age_seconds 3.0")
                .contains("scimitar_upstream_errors_total{kind=\"refused\"} 1.0");
    }

    @Test
    void explainAnswersJson() throws Exception {
        HttpResponse<String> response = get("/explain?user=ada%40example.com&method=GET&path=/api/x");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("user").asText()).isEqualTo("ada@example.com");
        assertThat(body.path("method").asText()).isEqualTo("GET");
        assertThat(body.path("path").asText()).isEqualTo("/api/x");
    }

    @ParameterizedTest
    @CsvSource({
        "GET, /nope, 404",
        "GET, /healthz/more, 404",
        "POST, /healthz, 405",
        "DELETE, /metrics, 405",
        "PUT, /readyz, 405",
        "GET, /explain?user=a&method=GET, 400",
        "GET, /explain?user=a&user=b&method=GET&path=/, 400",
    })
    void rejects(String method, String target, int status) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri(target))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(status);
        if (status == 405) {
            assertThat(response.headers().firstValue("allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void headAnswersHeadersOnly() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/healthz"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aThrowingCheckIsNotReady() throws Exception {
        ReadinessCheck broken = new ReadinessCheck() {
            @Override
            public String name() {
                return "keys";
            }

            @Override
            public boolean ready() {
                throw new IllegalStateException("no keys yet");
            }
        };
        try (AdminServer other = new AdminServer("127.0.0.1", 0, List.of(broken), registry,
                (u, m, p) -> JSON.createObjectNode()).start()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + other.port() + "/readyz")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(response.body()).path("checks").path("keys").asBoolean(true)).isFalse();
        }
    }

    @Test
    void aRequestBodyIsRefused() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/healthz"))
                .method("GET", HttpRequest.BodyPublishers.ofString("hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
    }

    private HttpResponse<String> get(String target) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(target)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String target) {
        return URI.create("http://127.0.0.1:" + server.port() + target);
    }
}
