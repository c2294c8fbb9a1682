package io.scimitar.scim.http;

import static io.scimitar.scim.http.RunningScimServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScimDiscoveryTest {

    @AutoClose
    private static final RunningScimServer scim = RunningScimServer.start(b -> b.maxResults(150));

    @Test
    void serviceProviderConfigAdvertisesWhatWeSupport() {
        HttpResponse<String> response = scim.get("/ServiceProviderConfig");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode config = json(response);
        assertThat(config.path("schemas").get(0).asText())
                .isEqualTo("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
        assertThat(config.at("/patch/supported").asBoolean()).isTrue();
        assertThat(config.at("/bulk/supported").asBoolean()).isFalse();
        assertThat(config.at("/bulk/maxOperations").asInt(-1)).isZero();
        assertThat(config.at("/filter/supported").asBoolean()).isTrue();
        assertThat(config.at("/filter/maxResults").asInt()).isEqualTo(150);
        assertThat(config.at("/changePassword/supported").asBoolean()).isFalse();
        assertThat(config.at("/sort/supported").asBoolean()).isTrue();
        assertThat(config.at("/etag/supported").asBoolean()).isTrue();
        assertThat(config.at("/authenticationSchemes/0/type").asText()).isEqualTo("oauthbearertoken");
        assertThat(config.at("/meta/location").asText()).isEqualTo(base() + "/ServiceProviderConfig");
    }

    @Test
    void schemasListsEverySchemaWithSubAttributes() {
        JsonNode list = json(scim.get("/Schemas"));

        assertThat(list.path("totalResults").asInt()).isEqualTo(3);
        assertThat(ids(list)).containsExactlyInAnyOrder(
                "urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                "urn:ietf:params:scim:schemas:core:2.0:Group");
        JsonNode group = find(list, "urn:ietf:params:scim:schemas:core:2.0:Group");
        JsonNode members = attribute(group, "members");
        assertThat(members.path("type").asText()).isEqualTo("complex");
        assertThat(members.path("multiValued").asBoolean()).isTrue();
        assertThat(members.path("subAttributes").findValuesAsText("name")).contains("value", "$ref", "type");
        assertThat(attribute(group, "displayName").path("required").asBoolean()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "urn:ietf:params:scim:schemas:core:2.0:User, userName, server",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User, department, none",
            "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP, displayName, none",
    })
    void singleSchemaById(String urn, String attributeName, String uniqueness) {
        HttpResponse<String> response = scim.get("/Schemas/" + urn);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode schema = json(response);
        assertThat(schema.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:schemas:core:2.0:Schema");
        assertThat(schema.path("id").asText()).isEqualToIgnoringCase(urn);
        JsonNode attribute = attribute(schema, attributeName);
        assertThat(attribute.path("uniqueness").asText()).isEqualTo(uniqueness);
        assertThat(attribute.path("mutability").asText()).isEqualTo("readWrite");
        assertThat(attribute.path("returned").asText()).isEqualTo("default");
        assertThat(URI.create(schema.at("/meta/location").asText()).isAbsolute()).isTrue();
        assertThat(schema.at("/meta/resourceType").asText()).isEqualTo("Schema");
    }

    @Test
    void resourceTypesNameTheEnterpriseExtensionAsOptional() {
        JsonNode list = json(scim.get("/ResourceTypes"));

        assertThat(ids(list)).containsExactly("User", "Group");
        JsonNode user = find(list, "User");
        assertThat(user.path("endpoint").asText()).isEqualTo("/Users");
        assertThat(user.path("schema").asText()).isEqualTo("urn:ietf:params:scim:schemas:core:2.0:User");
        assertThat(user.at("/schemaExtensions/0/schema").asText())
                .isEqualTo("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
        assertThat(user.at("/schemaExtensions/0/required").asBoolean(true)).isFalse();
        assertThat(find(list, "Group").path("schemaExtensions").size()).isZero();
    }

    @ParameterizedTest
    @CsvSource({"User, /Users", "Group, /Groups", "group, /Groups"})
    void singleResourceType(String name, String endpoint) {
        JsonNode type = json(scim.get("/ResourceTypes/" + name));

        assertThat(type.path("endpoint").asText()).isEqualTo(endpoint);
        assertThat(type.at("/meta/location").asText()).startsWith(base() + "/ResourceTypes/");
    }

    @Test
    void publicBaseUrlIsUsedForLocations() {
        try (RunningScimServer behindProxy = RunningScimServer.start(
                b -> b.publicBaseUrl(URI.create("https://scim.example.com/scim/v2/")))) {
            JsonNode config = json(behindProxy.get("/ServiceProviderConfig"));

            assertThat(config.at("/meta/location").asText())
                    .isEqualTo("https://scim.example.com/scim/v2/ServiceProviderConfig");
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + scim.server.port() + "/scim/v2";
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("Resources").forEach(r -> ids.add(r.path("id").asText()));
        return ids;
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode resource : list.path("Resources")) {
            if (resource.path("id").asText().equals(id)) {
                return resource;
            }
        }
        throw new AssertionError("no resource " + id);
    }

    private static JsonNode attribute(JsonNode schema, String name) {
        for (JsonNode attribute : schema.path("attributes")) {
            if (attribute.path("name").asText().equals(name)) {
                return attribute;
            }
        }
        throw new AssertionError("no attribute " + name);
    }
}
