package io.scimitar.scim.http;

import static io.scimitar.scim.http.RunningScimServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.schema.Schemas;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.service.ScimResource;
import io.scimitar.scim.service.SearchRequest;
import java.net.http.HttpResponse;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lists, searches and group PATCH responses as the IdPs read them. */
class ScimResourceEndpointsTest {

    /** More users than the server's page limit (50), so that every cap shows in the page size. */
    private static final int SEEDED_USERS = 60;

    private static RunningScimServer scim;

    @BeforeAll
    static void start() {
        scim = RunningScimServer.start(b -> b.maxResults(50));
        for (int i = 0; i < SEEDED_USERS; i++) {
            created("POST", "/Users", user("seed-" + i + "@example.com"));
        }
        created("POST", "/Groups", "{\"schemas\":[\"" + Schemas.GROUP + "\"],\"displayName\":\"seeded\"}");
    }

    @AfterAll
    static void stop() {
        scim.close();
    }

    @Test
    void emptyListStillCarriesResources() {
        JsonNode list = json(scim.get("/Groups?filter=displayName%20eq%20%22nobody%22&startIndex=1&count=100"));

        assertThat(list.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:ListResponse");
        assertThat(list.path("totalResults").asInt(-1)).isZero();
        assertThat(list.path("itemsPerPage").asInt(-1)).isZero();
        assertThat(list.path("startIndex").asInt()).isEqualTo(1);
        assertThat(list.path("Resources").isArray()).isTrue();
    }

    /** The directory itself caps pages at 1000; a page of 50 shows the server's own cap was passed on. */
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
        JsonNode list = json(response);
        assertThat(list.path("startIndex").asInt()).isEqualTo(startIndex);
        assertThat(list.path("itemsPerPage").asInt(-1)).isEqualTo(count);
        assertThat(list.path("Resources").size()).isEqualTo(count);
        assertThat(list.path("totalResults").asLong()).as("users only, not the groups")
                .isEqualTo(total(ResourceType.USER));
        assertThat(list.path("Resources").findValuesAsText("resourceType")).hasSize(count).allMatch("User"::equals);
    }

    @Test
    void rootSearchCoversBothTypesAndReadsTheBody() {
        HttpResponse<String> response = scim.send("POST", "/.search", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                 "startIndex":2,"count":"5","sortBy":"id","sortOrder":"descending"}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode list = json(response);
        assertThat(list.path("totalResults").asLong()).isEqualTo(total(ResourceType.USER, ResourceType.GROUP));
        assertThat(list.path("startIndex").asInt()).isEqualTo(2);
        assertThat(list.path("itemsPerPage").asInt()).isEqualTo(5);
        List<String> descendingIds = scim.directory.service()
                .search(new SearchRequest(List.of(ResourceType.USER, ResourceType.GROUP), Optional.empty(), 1, 1000,
                        Optional.empty(), false, Projection.DEFAULT))
                .resources().stream().map(ScimResource::id).sorted(Comparator.reverseOrder()).toList();
        assertThat(list.path("Resources").findValuesAsText("id")).containsExactlyElementsOf(descendingIds.subList(1, 6));
    }

    @Test
    void listedResourcesHaveAbsoluteLocations() {
        scim.send("POST", "/Users/", user("listed@example.com"));

        JsonNode list = json(scim.get("/Users/"));

        assertThat(list.path("totalResults").asInt()).isGreaterThanOrEqualTo(1);
        for (JsonNode user : list.path("Resources")) {
            assertThat(user.at("/meta/location").asText())
                    .isEqualTo("http://127.0.0.1:" + scim.server.port() + "/scim/v2/Users/" + user.path("id").asText());
        }
    }

    @Test
    void groupPatchAnswersWithoutMembers() {
        String u1 = created("POST", "/Users", user("member-1@example.com")).path("id").asText();
        String u2 = created("POST", "/Users", user("member-2@example.com")).path("id").asText();
        JsonNode group = created("POST", "/Groups", "{\"schemas\":[\"" + Schemas.GROUP + "\"],\"displayName\":\"eng\","
                + "\"members\":[{\"value\":\"" + u1 + "\"},{\"value\":\"" + u2 + "\"}]}");
        assertThat(group.path("members").size()).isEqualTo(2);
        String path = "/Groups/" + group.path("id").asText();

        HttpResponse<String> patched = scim.send("PATCH", path, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","value":{"displayName":"engineering"}}]}""");

        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode body = json(patched);
        assertThat(body.path("displayName").asText()).isEqualTo("engineering");
        assertThat(body.has("members")).as("left out of the answer").isFalse();
        assertThat(json(scim.get(path)).path("members").findValuesAsText("value"))
                .as("but still in the group").containsExactlyInAnyOrder(u1, u2);
    }

    @Test
    void userPatchAnswersWithTheWholeResource() {
        String id = created("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"patched@example.com",
                 "name":{"givenName":"Pat","familyName":"Ched"},
                 "emails":[{"value":"patched@example.com","type":"work","primary":true}]}""").path("id").asText();

        HttpResponse<String> patched = scim.send("PATCH", "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"Replace","value":{"active":false}}]}""");

        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(json(patched).path("userName").asText()).isEqualTo("patched@example.com");
        assertThat(json(patched).path("active").asBoolean(true)).isFalse();
        assertThat(json(patched)).as("nothing projected away").isEqualTo(json(scim.get("/Users/" + id)));
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
        RunningScimServer closing = RunningScimServer.start();
        int port = closing.server.port();
        assertThat(closing.get("/ServiceProviderConfig").statusCode()).isEqualTo(200);

        closing.close();

        assertThat(canConnect(port)).isFalse();
    }

    private static String user(String userName) {
        return "{\"schemas\":[\"" + Schemas.USER + "\"],\"userName\":\"" + userName + "\"}";
    }

    private static JsonNode created(String method, String path, String body) {
        HttpResponse<String> response = scim.send(method, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response);
    }

    /** How many resources of these types the directory holds, asked of the service directly. */
    private static long total(ResourceType... types) {
        return scim.directory.service().search(new SearchRequest(List.of(types), Optional.empty(), 1, 0,
                Optional.empty(), false, Projection.DEFAULT)).totalResults();
    }

    private static boolean canConnect(int port) {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            return socket.isConnected();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
