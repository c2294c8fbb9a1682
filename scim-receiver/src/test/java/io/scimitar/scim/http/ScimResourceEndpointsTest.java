package io.scimitar.scim.http;

import static io.scimitar.scim.http.RunningScimServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.SearchRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lists, searches and group PATCH responses as the IdPs read them. */
class ScimResourceEndpointsTest {

    private static final InMemoryScimService SERVICE = new InMemoryScimService();
    private static RunningScimServer scim;

    @BeforeAll
    static void start() {
        scim = RunningScimServer.start(SERVICE, b -> b.maxResults(50));
    }

    @AfterAll
    static void stop() {
        scim.close();
    }

    @Test
    void emptyListStillCarriesResources() {
        JsonNode list = json(scim.get("/Groups?startIndex=1&count=100"));

        assertThat(list.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:ListResponse");
        assertThat(list.path("totalResults").asInt(-1)).isZero();
        assertThat(list.path("itemsPerPage").asInt(-1)).isZero();
        assertThat(list.path("startIndex").asInt()).isEqualTo(1);
        assertThat(list.path("Resources").isArray()).isTrue();
    }

    @ParameterizedTest(name = "{0} → startIndex {1}, count {2}")
    @CsvSource(delimiter = '|', value = {
            "                              | 1 | 50",
            "?startIndex=3&count=7         | 3 | 7",
            "?startIndex=0&count=-5        | 1 | 0",
            "?startIndex=-9                | 1 | 50",
            "?count=1000                   | 1 | 50",
            "?sortOrder=DESCENDING         | 1 | 50",
    })
    void pagingFollowsRfc7644Section3424(String query, int startIndex, int count) {
        HttpResponse<String> response = scim.get("/Users" + (query == null ? "" : query));

        assertThat(response.statusCode()).isEqualTo(200);
        SearchRequest seen = SERVICE.lastSearch.get();
        assertThat(seen.startIndex()).isEqualTo(startIndex);
        assertThat(seen.count()).isEqualTo(count);
        assertThat(seen.types()).containsExactly(ResourceType.USER);
    }

    @Test
    void rootSearchCoversBothTypesAndReadsTheBody() {
        HttpResponse<String> response = scim.send("POST", "/.search", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                 "startIndex":2,"count":"5","sortOrder":"descending"}""");

        assertThat(response.statusCode()).isEqualTo(200);
        SearchRequest seen = SERVICE.lastSearch.get();
        assertThat(seen.types()).containsExactlyInAnyOrder(ResourceType.USER, ResourceType.GROUP);
        assertThat(seen.startIndex()).isEqualTo(2);
        assertThat(seen.count()).isEqualTo(5);
        assertThat(seen.descending()).isTrue();
    }

    @Test
    void listedResourcesHaveAbsoluteLocations() {
        scim.send("POST", "/Users/", "{\"userName\":\"listed@example.com\"}");

        JsonNode list = json(scim.get("/Users/"));

        assertThat(list.path("totalResults").asInt()).isGreaterThanOrEqualTo(1);
        for (JsonNode user : list.path("Resources")) {
            assertThat(user.at("/meta/location").asText())
                    .isEqualTo("http://127.0.0.1:" + scim.server.port() + "/scim/v2/Users/" + user.path("id").asText());
        }
    }

    @Test
    void groupPatchAnswersWithoutMembers() {
        JsonNode group = json(scim.send("POST", "/Groups",
                "{\"displayName\":\"eng\",\"members\":[{\"value\":\"u1\"},{\"value\":\"u2\"}]}"));
        assertThat(group.path("members").size()).isEqualTo(2);

        HttpResponse<String> patched = scim.send("PATCH", "/Groups/" + group.path("id").asText(), """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"displayName":"engineering"}}]}""");

        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode body = json(patched);
        assertThat(body.path("displayName").asText()).isEqualTo("engineering");
        assertThat(body.has("members")).isFalse();
        assertThat(SERVICE.lastProjection.get().excludedAttributes()).extracting(p -> p.attribute())
                .containsExactly("members");
    }

    @Test
    void userPatchAnswersWithTheWholeResource() {
        JsonNode user = json(scim.send("POST", "/Users", "{\"userName\":\"patched@example.com\"}"));

        HttpResponse<String> patched = scim.send("PATCH", "/Users/" + user.path("id").asText(), """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"Replace","value":{"active":false}}]}""");

        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(json(patched).path("userName").asText()).isEqualTo("patched@example.com");
        assertThat(json(patched).path("active").asBoolean(true)).isFalse();
        assertThat(SERVICE.lastProjection.get().excludedAttributes()).isEqualTo(List.of());
    }

    @Test
    void everyResponseCarriesARequestIdAndNoStore() {
        HttpResponse<String> response = scim.get("/Users/missing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent().get().asString().hasSize(16);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void closeAfterUseLeavesNoListener() {
        RunningScimServer closing = RunningScimServer.start(new InMemoryScimService());
        int port = closing.server.port();
        assertThat(closing.get("/ServiceProviderConfig").statusCode()).isEqualTo(200);

        closing.close();

        assertThat(canConnect(port)).isFalse();
    }

    private static boolean canConnect(int port) {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            return socket.isConnected();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
