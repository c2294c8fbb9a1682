package io.scimitar.scim.http;

import static io.scimitar.scim.http.RunningScimServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScimContentTypeTest {

    /** userName is unique in the directory, so each request creates its own user. */
    private static final AtomicInteger USERS = new AtomicInteger();

    @AutoClose
    private static final RunningScimServer scim = RunningScimServer.start();

    @ParameterizedTest(name = "Content-Type [{0}] → {1}")
    @CsvSource(delimiter = '|', value = {
            "application/scim+json                     | 201",
            "application/json                          | 201",
            "Application/SCIM+JSON                     | 201",
            "application/scim+json; charset=utf-8      | 201",
            "application/json;charset=UTF-8            | 201",
            "application/json; charset=\"utf-8\"       | 201",
            "application/scim+json; charset=iso-8859-1 | 415",
            "application/json; charset=utf-16          | 415",
            "text/plain                                | 415",
            "application/xml                           | 415",
            "application/x-www-form-urlencoded         | 415",
            "multipart/form-data; boundary=x           | 415",
    })
    void requestMediaTypes(String contentType, int status) {
        HttpResponse<String> response = scim.send(scim.request("/Users").header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(user())).build());

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/scim+json; charset=utf-8");
        if (status == 415) {
            assertThat(json(response).path("status").asText()).isEqualTo("415");
        }
    }

    @Test
    void bodyWithoutContentTypeIs415() {
        HttpResponse<String> response = scim.send(scim.request("/Users")
                .POST(HttpRequest.BodyPublishers.ofString(user())).build());

        assertThat(response.statusCode()).isEqualTo(415);
    }

    private static String user() {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"bjensen-"
                + USERS.incrementAndGet() + "@example.com\"}";
    }

    @ParameterizedTest(name = "Accept [{0}]")
    @ValueSource(strings = {"*/*", "application/json", "application/scim+json", "application/scim+json, */*;q=0.1",
            "text/html"})
    void anyReasonableAcceptHeaderIsServedScimJson(String accept) {
        HttpResponse<String> response = scim.send(scim.request("/ServiceProviderConfig").header("Accept", accept)
                .GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/scim+json; charset=utf-8");
    }
}
