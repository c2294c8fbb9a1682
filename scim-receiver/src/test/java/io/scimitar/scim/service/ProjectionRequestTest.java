package io.scimitar.scim.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.filter.AttributePath;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.ResourceType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProjectionRequestTest {

    private static final String ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private static final String USER = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","%s"],
             "id":"u1","externalId":"x1","userName":"alice","password":"secret",
             "name":{"givenName":"Alice","familyName":"Smith"},
             "emails":[{"value":"a@example.com","type":"work","primary":true},{"value":"b@example.com","type":"home"}],
             "groups":[{"value":"g1","display":"Admins","type":"direct"}],
             "%s":{"department":"R&D","costCenter":"42"},
             "meta":{"resourceType":"User","version":"W/\\"3\\""}}""".formatted(ENT, ENT);

    /** Paths as the filter parser produces them, written here by hand so this test stands alone. */
    static List<AttributePath> paths(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(";")).map(String::strip).map(ProjectionRequestTest::path).toList();
    }

    static AttributePath path(String text) {
        String urn = "";
        String rest = text;
        if (text.regionMatches(true, 0, "urn:", 0, 4)) {
            int colon = text.lastIndexOf(':');
            urn = text.substring(0, colon);
            rest = text.substring(colon + 1);
        }
        int dot = rest.indexOf('.');
        return dot < 0 ? new AttributePath(urn, rest, "") : new AttributePath(urn, rest.substring(0, dot), rest.substring(dot + 1));
    }

    @ParameterizedTest(name = "attributes={0} excluded={1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            -                     | -                 | schemas,id,externalId,userName,name,emails,groups,ENT,meta
            userName              | -                 | schemas,id,userName
            USERNAME              | -                 | schemas,id,userName
            name.givenName        | -                 | schemas,id,name
            emails.value          | -                 | schemas,id,emails
            ENT:department        | -                 | schemas,id,ENT
            ENT                   | -                 | schemas,id,ENT
            password              | -                 | schemas,id
            id                    | -                 | schemas,id
            urn:ietf:params:scim:schemas:core:2.0:User:userName | - | schemas,id,userName
            -                     | emails            | schemas,id,externalId,userName,name,groups,ENT,meta
            -                     | id;schemas        | schemas,id,externalId,userName,name,emails,groups,ENT,meta
            -                     | ENT               | schemas,id,externalId,userName,name,emails,groups,meta
            -                     | ENT:department;ENT:costCenter | schemas,id,externalId,userName,name,emails,groups,meta
            -                     | meta;groups;name.givenName;name.familyName | schemas,id,externalId,userName,emails,ENT
            """)
    void returnsTheExpectedTopLevelAttributes(String attributes, String excluded, String expected) throws Exception {
        ObjectNode user = (ObjectNode) Json.MAPPER.readTree(USER);
        Projection projection = new Projection(paths(sub(attributes)), paths(sub(excluded)));
        ObjectNode out = projection.apply(ResourceType.USER, user);
        List<String> names = List.copyOf(out.properties().stream().map(e -> e.getKey()).toList());
        assertThat(names).containsExactly(sub(expected).split(","));
        assertThat(out.has("password")).isFalse();
        assertThat(user.has("password")).as("input unchanged").isTrue();
    }

    private static String sub(String s) {
        return s == null ? null : s.replace("ENT", ENT);
    }

    @Test
    void subAttributePathsKeepOnlyThoseSubAttributes() throws Exception {
        ObjectNode user = (ObjectNode) Json.MAPPER.readTree(USER);
        ObjectNode out = new Projection(paths("name.givenName;emails.value;" + ENT + ":department"), List.of())
                .apply(ResourceType.USER, user);
        assertThat(out.get("name")).isEqualTo(Json.MAPPER.readTree("{\"givenName\":\"Alice\"}"));
        assertThat(out.get("emails")).isEqualTo(Json.MAPPER.readTree("[{\"value\":\"a@example.com\"},{\"value\":\"b@example.com\"}]"));
        assertThat(out.get(ENT)).isEqualTo(Json.MAPPER.readTree("{\"department\":\"R&D\"}"));
    }

    @Test
    void excludingSubAttributesKeepsTheRest() throws Exception {
        ObjectNode user = (ObjectNode) Json.MAPPER.readTree(USER);
        ObjectNode out = new Projection(List.of(), paths("emails.primary;emails.type;name.familyName"))
                .apply(ResourceType.USER, user);
        assertThat(out.get("emails")).isEqualTo(Json.MAPPER.readTree("[{\"value\":\"a@example.com\"},{\"value\":\"b@example.com\"}]"));
        assertThat(out.get("name")).isEqualTo(Json.MAPPER.readTree("{\"givenName\":\"Alice\"}"));
    }

    @ParameterizedTest(name = "attributes={0} excluded={1} → members {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            -                  | -                | true
            -                  | members          | false
            -                  | MEMBERS          | false
            -                  | members.display  | true
            -                  | displayName      | true
            displayName        | -                | false
            members            | -                | true
            members.value      | -                | true
            urn:ietf:params:scim:schemas:core:2.0:Group:members | - | true
            -                  | urn:ietf:params:scim:schemas:core:2.0:Group:members | false
            """)
    void includesMembersFollowsTheRequest(String attributes, String excluded, boolean expected) throws Exception {
        Projection projection = new Projection(paths(attributes), paths(excluded));
        assertThat(projection.includesMembers()).isEqualTo(expected);
        ObjectNode group = (ObjectNode) Json.MAPPER.readTree("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Admins",
                 "members":[{"value":"u1","display":"alice","type":"User"}]}""");
        JsonNode out = projection.apply(ResourceType.GROUP, group);
        assertThat(out.has("members")).isEqualTo(expected);
        assertThat(out.get("id").asText()).isEqualTo("g1");
    }
}
