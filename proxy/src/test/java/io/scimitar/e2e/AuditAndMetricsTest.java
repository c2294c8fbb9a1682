package io.scimitar.e2e;

import io.scimitar.testing.RawClient;
import static io.scimitar.e2e.SidecarFixture.ADA;
import static io.scimitar.e2e.SidecarFixture.GRACE;
import static io.scimitar.e2e.SidecarFixture.KEN;
import static io.scimitar.e2e.SidecarFixture.LINUS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an operator sees: exactly one audit line per decision (outcome, reason, user, route,
 * directory version), the Prometheus counters by reason on the admin port, readiness with its
 * checks, and {@code /explain}.
 */
class AuditAndMetricsTest {

    @RegisterExtension
    static final SidecarFixture STACK = SidecarFixture.standard();

    private static final AuditCapture AUDIT = new AuditCapture();
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stopCapturing() {
        AUDIT.close();
    }

    record Case(String name, String target, Function<SidecarFixture, List<String>> headers, int status,
            String outcome, String reason, String user, String route) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("public", "/healthz", f -> List.of(), 200, "allow", "public_route", null, "/healthz"),
                new Case("no token", "/api/x", f -> List.of(), 401, "deny", "no_token", null, "/api/**"),
                new Case("bad token", "/api/x", f -> List.of("Authorization: Bearer a.b.c"), 401, "deny",
                        "invalid_token", null, "/api/**"),
                new Case("unknown user", "/api/x", f -> List.of(f.bearer("nobody@example.com")), 403, "deny",
                        "unknown_user", null, "/api/**"),
                new Case("inactive user", "/api/x", f -> List.of(f.bearer(KEN)), 403, "deny", "inactive_user", KEN,
                        "/api/**"),
                new Case("no matching role", "/api/x", f -> List.of(f.bearer(LINUS)), 403, "deny", "no_matching_role",
                        LINUS, "/api/**"),
                new Case("allowed", "/api/x", f -> List.of(f.bearer(ADA)), 200, "allow", "allowed_by_role", ADA,
                        "/api/**"),
                new Case("no route", "/reports/q3", f -> List.of(f.bearer(GRACE)), 403, "deny", "no_route", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachDecisionIsOneAuditLineAndOneCount(Case c) throws Exception {
        double before = requests(c.outcome(), c.reason());
        AUDIT.take();

        assertThat(STACK.send(RawClient.get(c.target(), c.headers().apply(STACK))).status()).isEqualTo(c.status());

        List<Map<String, Object>> lines = AUDIT.take();
        assertThat(lines).hasSize(1);
        Map<String, Object> line = lines.get(0);
        assertThat(line).containsEntry("event", "decision").containsEntry("outcome", c.outcome())
                .containsEntry("reason", c.reason()).containsEntry("method", "GET").containsEntry("path", c.target())
                .containsEntry("directory_version", directoryVersion());
        assertThat(line.get("user")).isEqualTo(c.user());
        assertThat(line.get("user_id")).isEqualTo(c.user() == null ? null : STACK.userId(c.user()));
        assertThat(line.get("route")).isEqualTo(c.route());
        assertThat(line.values()).as("no token in the audit line")
                .noneMatch(v -> String.valueOf(v).startsWith("eyJ"));
        assertThat(requests(c.outcome(), c.reason())).isEqualTo(before + 1);
    }

    @Test
    void aRejectedRequestTargetIsNoDecisionAndWritesNoAuditLine() throws Exception {
        AUDIT.take();
        assertThat(STACK.get("/api/%2fadmin", STACK.bearer(ADA)).status()).isEqualTo(400);
        assertThat(AUDIT.take()).isEmpty();
    }

    @Test
    void metricsExposeTheDirectoryVersionAndEveryGaugeReadsAValue() {
        String metrics = STACK.admin("/metrics").body();
        assertThat(metrics).contains("scimitar_directory_version " + directoryVersion() + ".0")
                .contains("scimitar_request_latency_seconds_count")
                .contains("scimitar_token_cache_hit_ratio")
                .as("every gauge reads a value").doesNotContainPattern("(?m)^scimitar_\\S* NaN$");
    }

    @Test
    void readinessIsOkWithEveryCheck() throws Exception {
        var response = STACK.admin("/readyz");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("ready").asBoolean()).isTrue();
        assertThat(body.get("checks").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("policy", "directory", "keys", "listener");
        assertThat(body.get("checks").properties()).allSatisfy(e -> assertThat(e.getValue().asBoolean()).isTrue());
    }

    @Test
    void explainAnswersForAUserWithTheDecisionTheSidecarMakes() throws Exception {
        JsonNode allowed = JSON.readTree(STACK.admin("/explain?user=" + ADA + "&method=get&path=/api/x/../y").body());
        assertThat(allowed.get("decision").asText()).isEqualTo("allow");
        assertThat(allowed.get("reason").asText()).isEqualTo("allowed_by_role");
        assertThat(allowed.get("normalizedPath").asText()).isEqualTo("/api/y");
        assertThat(allowed.at("/route/path").asText()).isEqualTo("/api/**");
        assertThat(allowed.at("/directoryUser/groups/0").asText()).isEqualTo("eng");

        JsonNode denied = JSON.readTree(STACK.admin("/explain?user=" + ADA + "&method=POST&path=/api/x").body());
        assertThat(denied.get("decision").asText()).isEqualTo("deny");
        assertThat(denied.get("reason").asText()).isEqualTo("no_matching_role");
        assertThat(denied.get("status").asInt()).isEqualTo(403);

        JsonNode inactive = JSON.readTree(STACK.admin("/explain?user=" + KEN + "&method=GET&path=/api/x").body());
        assertThat(inactive.get("reason").asText()).isEqualTo("inactive_user");

        assertThat(STACK.admin("/explain?user=" + ADA).statusCode()).isEqualTo(400);
    }

    private static long directoryVersion() {
        String metrics = STACK.admin("/metrics").body();
        Matcher m = Pattern.compile("(?m)^scimitar_directory_version (\\d+)\\.0$").matcher(metrics);
        assertThat(m.find()).as("scimitar_directory_version in %s", metrics).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** {@code scimitar_requests_total} for one outcome and reason, scraped from the admin port. */
    private static double requests(String outcome, String reason) {
        Pattern line = Pattern.compile("(?m)^scimitar_requests_total\\{outcome=\"" + outcome + "\",reason=\"" + reason
                + "\"} (\\S+)$");
        Matcher m = line.matcher(STACK.admin("/metrics").body());
        assertThat(m.find()).as("a counter for %s/%s", outcome, reason).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
