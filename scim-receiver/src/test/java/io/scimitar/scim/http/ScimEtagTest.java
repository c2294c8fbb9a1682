package io.scimitar.scim.http;

import static io.scimitar.scim.http.RunningScimServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** ETags (RFC 7644 §3.14): the header on every resource, 304 for If-None-Match, 412 through If-Match. */
class ScimEtagTest {

    /** userName is unique in the directory, so each test creates its own user. */
    private static final AtomicInteger USERS = new AtomicInteger();

    @AutoClose
    private static final RunningScimServer scim = RunningScimServer.start();
    private String userName;
    private String id;
    private String etag;

    @BeforeEach
    void createUser() {
        userName = "etag-" + USERS.incrementAndGet() + "@example.com";
        HttpResponse<String> created = scim.send("POST", "/Users", user(""));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode user = json(created);
        id = user.path("id").asText();
        etag = created.headers().firstValue("ETag").orElseThrow();
        assertThat(user.at("/meta/version").asText()).isEqualTo(etag);
        assertThat(created.headers().firstValue("Location")).hasValue(user.at("/meta/location").asText());
        assertThat(user.at("/meta/location").asText())
                .isEqualTo("http://127.0.0.1:" + scim.server.port() + "/scim/v2/Users/" + id);
    }

    @ParameterizedTest(name = "If-None-Match [{0}] → {1}")
    @CsvSource(delimiter = '|', value = {
            "CURRENT                 | 304",
            "*                       | 304",
            "W/\"999\", CURRENT      | 304",
            "W/\"999\"               | 200",
            "\"something-else\"      | 200",
    })
    void ifNoneMatch(String header, int status) {
        HttpResponse<String> response = scim.send(scim.request("/Users/" + id)
                .header("If-None-Match", header.replace("CURRENT", etag)).GET().build());

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("ETag")).hasValue(etag);
        if (status == 304) {
            assertThat(response.body()).isEmpty();
        } else {
            assertThat(json(response).path("id").asText()).isEqualTo(id);
        }
    }

    @Test
    void weakComparisonIgnoresTheWeakPrefix() {
        String strongForm = etag.substring(2);

        HttpResponse<String> response = scim.send(scim.request("/Users/" + id)
                .header("If-None-Match", strongForm).GET().build());

        assertThat(response.statusCode()).isEqualTo(304);
    }

    @ParameterizedTest(name = "{0} with a stale If-Match → 412")
    @CsvSource({"PUT", "PATCH", "DELETE"})
    void staleIfMatchIs412(String method) {
        String body = method.equals("PUT") ? user("")
                : "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                        + "\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}";
        HttpResponse<String> response = scim.send(scim.request("/Users/" + id)
                .header("Content-Type", "application/scim+json").header("If-Match", "W/\"0\"")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(json(response).path("status").asText()).isEqualTo("412");
    }

    @Test
    void matchingIfMatchUpdatesAndChangesTheEtag() {
        HttpResponse<String> response = scim.send(scim.request("/Users/" + id)
                .header("Content-Type", "application/scim+json").header("If-Match", etag)
                .PUT(HttpRequest.BodyPublishers.ofString(user(",\"active\":true"))).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
        assertThat(scim.send(scim.request("/Users/" + id).header("If-None-Match", etag).GET().build()).statusCode())
                .as("the old ETag no longer matches").isEqualTo(200);
    }

    @Test
    void deleteIs204WithoutBodyThenTheResourceIsGone() {
        HttpResponse<String> deleted = scim.send(scim.request("/Users/" + id).DELETE().build());

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(scim.get("/Users/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void headAnswersLikeGetWithoutBody() {
        HttpResponse<String> head = scim.send(scim.request("/Users/" + id)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("ETag")).hasValue(etag);
        assertThat(head.body()).isEmpty();
    }

    /** This test's user as JSON, with {@code more} attributes appended. */
    private String user(String more) {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + userName + "\""
                + more + "}";
    }
}
