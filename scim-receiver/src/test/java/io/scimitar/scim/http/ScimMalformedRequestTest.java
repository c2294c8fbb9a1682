package io.scimitar.scim.http;

import static io.scimitar.scim.http.RunningScimServer.TOKEN;
import static io.scimitar.scim.http.RunningScimServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalogue of broken requests: each gets the right status, a SCIM error body, and no stack trace. */
class ScimMalformedRequestTest {

    @AutoClose
    private static final RunningScimServer scim = RunningScimServer.start();

    static Stream<Arguments> brokenBodies() {
        return Stream.of(
                Arguments.of("broken JSON", "POST", "/Users", "{\"userName\": ", "malformed JSON"),
                Arguments.of("trailing garbage", "POST", "/Users", "{\"userName\":\"a\"} x", "malformed JSON"),
                Arguments.of("array as root", "POST", "/Users", "[{\"userName\":\"a\"}]", "not an array"),
                Arguments.of("string as root", "PUT", "/Users/x", "\"hello\"", "not a string"),
                Arguments.of("null as root", "PATCH", "/Groups/x", "null", "not null"),
                Arguments.of("empty body on POST", "POST", "/Users", "", "empty"),
                Arguments.of("empty body on PUT", "PUT", "/Users/x", "", "empty"),
                Arguments.of("empty body on PATCH", "PATCH", "/Users/x", "", "empty"),
                Arguments.of("whitespace body", "POST", "/Groups", "  \n ", "empty"),
                Arguments.of("deep nesting", "POST", "/Users", "{\"a\":".repeat(200) + "1" + "}".repeat(200),
                        "nested too deeply"),
                Arguments.of("duplicate keys", "POST", "/Users", "{\"userName\":\"a\",\"userName\":\"b\"}",
                        "Duplicate field"),
                Arguments.of("search without schemas", "POST", "/.search", "{\"filter\":\"x\"}", "SearchRequest"),
                Arguments.of("search count not integer", "POST", "/Users/.search",
                        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],\"count\":\"ten\"}",
                        "count must be an integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void brokenBodiesAre400(String name, String method, String path, String body, String reason) {
        HttpResponse<String> response = scim.send(method, path, body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(error.path("status").asText()).isEqualTo("400");
        assertThat(error.path("scimType").asText()).isIn("invalidSyntax", "invalidValue");
        assertThat(error.path("detail").asText()).contains(reason).hasSizeLessThan(400);
        assertThat(response.body()).doesNotContain("at com.").doesNotContain("Exception");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "startIndex=abc          | invalidValue",
            "startIndex=1.5          | invalidValue",
            "count=ten               | invalidValue",
            "count=99999999999999    | invalidValue",
            "count=1&count=2         | invalidValue",
            "sortOrder=upwards       | invalidValue",
            "sortOrder=               | invalidValue",
            "filter=                 | invalidFilter",
    })
    void badQueryParametersAre400(String query, String scimType) {
        HttpResponse<String> response = scim.get("/Users?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("scimType").asText()).isEqualTo(scimType);
    }

    @Test
    void twoMebibyteBodyIs413() {
        String body = "{\"userName\":\"" + "a".repeat(2 << 20) + "\"}";

        HttpResponse<String> response = scim.send("POST", "/Users", body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("status").asText()).isEqualTo("413");
        assertThat(scim.get("/ServiceProviderConfig").statusCode()).as("the server still answers").isEqualTo(200);
    }

    @Test
    void twoMebibyteBodyWithExpectContinueIs413BeforeTheBodyIsSent() {
        String body = "{\"userName\":\"" + "a".repeat(2 << 20) + "\"}";

        HttpResponse<String> response = scim.send(scim.request("/Users").expectContinue(true)
                .header("Content-Type", "application/scim+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("detail").asText()).contains("larger than");
    }

    @Test
    void smallBodyWithExpectContinueIsServed() {
        HttpResponse<String> response = scim.send(scim.request("/Users").expectContinue(true)
                .header("Content-Type", "application/scim+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                        + "\"userName\":\"continue@example.com\"}")).build());

        assertThat(response.statusCode()).isEqualTo(201);
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /Nope                      | 404 | ",
            "GET    | /Users/a/b                 | 404 | ",
            "GET    | /                          | 404 | ",
            "GET    | /Schemas/urn:nope          | 404 | ",
            "GET    | /ResourceTypes/Device      | 404 | ",
            "GET    | /users                     | 404 | ",
            "DELETE | /Users                     | 405 | GET, HEAD, POST",
            "PUT    | /Groups                    | 405 | GET, HEAD, POST",
            "POST   | /Users/abc                 | 405 | GET, HEAD, PUT, PATCH, DELETE",
            "GET    | /.search                   | 405 | POST",
            "GET    | /Users/.search             | 405 | POST",
            "POST   | /ServiceProviderConfig     | 405 | GET, HEAD",
            "DELETE | /Schemas                   | 405 | GET, HEAD",
            "GET    | /Me                        | 501 | ",
            "PATCH  | /Me                        | 501 | ",
            "POST   | /Bulk                      | 501 | ",
    })
    void routesAndMethods(String method, String path, int status, String allow) {
        HttpResponse<String> response = scim.send(method, path, method.equals("GET") ? null : "{}");

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(json(response).path("status").asText()).isEqualTo(Integer.toString(status));
        if (allow != null) {
            assertThat(response.headers().firstValue("Allow")).hasValue(allow);
        }
    }

    @Test
    void pathOutsideTheBasePathIs404() {
        HttpResponse<String> response = scim.send(HttpRequest.newBuilder(scim.uri("/other/Users"))
                .header("Authorization", "Bearer " + TOKEN).GET().build());

        assertThat(response.statusCode()).isEqualTo(404);
    }

    static Stream<Arguments> malformedHttp() {
        return Stream.of(
                Arguments.of("garbage request line", 400, "GARBAGE\r\n\r\n"),
                Arguments.of("unknown HTTP version", 505, "GET /scim/v2/Users HTTP/9.9\r\nHost: x\r\n\r\n"),
                Arguments.of("header without colon", 400, "GET /scim/v2/Users HTTP/1.1\r\nHost x\r\n\r\n"),
                Arguments.of("space before colon", 400, "GET /scim/v2/Users HTTP/1.1\r\nHost : x\r\n\r\n"),
                Arguments.of("bad chunk size", 400, "POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHttp")
    void malformedHttpIsRefusedAndClosed(String name, int status, String request) {
        String response = scim.raw(request);

        assertThat(response).startsWith("HTTP/1.1 " + status).containsIgnoringCase("connection: close")
                .contains("urn:ietf:params:scim:api:messages:2.0:Error");
    }

    @Test
    void hugeRequestLineIs414() {
        String response = scim.raw("GET /scim/v2/Users?filter=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 414").contains("\"status\":\"414\"");
    }

    @Test
    void hugeHeadersAre431() {
        String response = scim.raw("GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(40_000)
                + "\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 431").contains("\"status\":\"431\"");
    }
}
