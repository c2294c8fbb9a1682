package io.scimitar.scim.http;

import static io.scimitar.scim.http.RunningScimServer.TOKEN;
import static io.scimitar.scim.http.RunningScimServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScimAuthTest {

    @AutoClose
    private static final RunningScimServer scim = RunningScimServer.start();

    @ParameterizedTest(name = "Authorization [{0}] → {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "NONE                                 | 401 | Bearer realm=\"scimitar\"",
            "Bearer                               | 401 | Bearer realm=\"scimitar\"",
            "Basic dGVzdDp0ZXN0                   | 401 | Bearer realm=\"scimitar\"",
            "Bearer wrong-token                   | 401 | Bearer realm=\"scimitar\", error=\"invalid_token\"",
            "Bearer test-token-5f1c0d2e9          | 401 | Bearer realm=\"scimitar\", error=\"invalid_token\"",
            "Bearer test-token-5f1c0d2e9a0        | 401 | Bearer realm=\"scimitar\", error=\"invalid_token\"",
            "Bearer TEST-TOKEN-5F1C0D2E9A         | 401 | Bearer realm=\"scimitar\", error=\"invalid_token\"",
            "Bearer test-token-5f1c0d2e9a         | 200 | ",
            "bearer test-token-5f1c0d2e9a         | 200 | ",
            "BEARER   test-token-5f1c0d2e9a       | 200 | ",
    })
    void authorizationHeaderDecidesAccess(String authorization, int status, String challenge) {
        HttpRequest.Builder request = HttpRequest.newBuilder(scim.uri("/scim/v2/Users")).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = scim.send(request.build());

        assertThat(response.statusCode()).isEqualTo(status);
        if (status == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(challenge);
            JsonNode error = json(response);
            assertThat(error.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
            assertThat(error.path("status").asText()).isEqualTo("401");
            assertThat(response.body()).doesNotContain("wrong-token").doesNotContain(TOKEN);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ServiceProviderConfig", "/Schemas", "/ResourceTypes", "/ResourceTypes/User",
            "/Users/some-id", "/Groups", "/Me", "/no-such-endpoint"})
    void everyEndpointRequiresAToken(String path) {
        HttpResponse<String> response = scim.send(HttpRequest.newBuilder(scim.uri("/scim/v2" + path)).GET().build());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void rotationAcceptsBothTokensThenOnlyTheNewOne() {
        AtomicReference<List<byte[]>> current = new AtomicReference<>(List.of(bytes("old-token")));
        try (RunningScimServer rotating = RunningScimServer.start(BearerTokens.of(current::get), b -> b)) {
            assertThat(status(rotating, "old-token")).isEqualTo(200);
            assertThat(status(rotating, "new-token")).isEqualTo(401);

            current.set(List.of(bytes("new-token"), bytes("old-token")));
            assertThat(status(rotating, "old-token")).isEqualTo(200);
            assertThat(status(rotating, "new-token")).isEqualTo(200);

            current.set(List.of(bytes("new-token")));
            assertThat(status(rotating, "old-token")).isEqualTo(401);
            assertThat(status(rotating, "new-token")).isEqualTo(200);
        }
    }

    @Test
    void tokenFileIsReReadForRotation(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("scim-tokens");
        Files.writeString(file, "# AWSCURRENT\nfirst-token\n");
        try (RunningScimServer rotating = RunningScimServer.start(
                BearerTokens.fromFile(file, Duration.ZERO), b -> b)) {
            assertThat(status(rotating, "first-token")).isEqualTo(200);

            Files.writeString(file, "second-token\n\n");
            assertThat(status(rotating, "second-token")).isEqualTo(200);
            assertThat(status(rotating, "first-token")).isEqualTo(401);

            Files.delete(file);
            assertThat(status(rotating, "second-token")).as("an unreadable file keeps the last tokens").isEqualTo(200);
        }
    }

    /** The comparison goes over fixed-length digests of every token; prefixes and extensions never match. */
    @ParameterizedTest(name = "[{0}] accepted: {1}")
    @CsvSource(delimiter = '|', value = {
            "alpha-token-0001        | true",
            "beta-token-00000000002  | true",
            "alpha-token-000         | false",
            "alpha-token-00011       | false",
            "beta-token              | false",
            "x                       | false",
            "''                      | false",
    })
    void comparisonChecksEveryConfiguredToken(String presented, boolean accepted) {
        BearerTokens tokens = BearerTokens.of("alpha-token-0001", "beta-token-00000000002", "");

        assertThat(tokens.accepts(presented)).isEqualTo(accepted);
    }

    @Test
    void fingerprintIsShortAndDoesNotContainTheToken() {
        String fingerprint = BearerTokens.fingerprint(TOKEN);

        assertThat(fingerprint).hasSize(8).matches("[0-9a-f]{8}").isNotEqualTo(TOKEN.substring(0, 8));
        assertThat(BearerTokens.fingerprint(TOKEN)).isEqualTo(fingerprint);
    }

    private static int status(RunningScimServer server, String token) {
        return server.send(HttpRequest.newBuilder(server.uri("/scim/v2/Users"))
                .header("Authorization", "Bearer " + token).GET().build()).statusCode();
    }

    private static byte[] bytes(String token) {
        return token.getBytes(StandardCharsets.UTF_8);
    }
}
