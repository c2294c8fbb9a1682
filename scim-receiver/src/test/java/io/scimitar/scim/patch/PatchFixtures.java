package io.scimitar.scim.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.ResourceType;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** JSON literals and one-call helpers shared by the PATCH tables. */
final class PatchFixtures {

    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /** A normalised user as the store holds it. */
    static final String USER = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
             "userName":"bjensen",
             "name":{"familyName":"Jensen","givenName":"Barbara"},
             "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
                       {"value":"babs@jensen.org","type":"home"}],
             "active":true}""";

    static final String GROUP = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Tour Guides"}""";

    private PatchFixtures() {
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("bad JSON literal in a test table: " + text, e);
        }
    }

    static ObjectNode object(String text) {
        return (ObjectNode) json(text);
    }

    /** A PatchOp body around a JSON array of operations. */
    static ObjectNode body(String operations) {
        ObjectNode body = Json.object();
        body.putArray("schemas").add(PATCH_OP);
        body.set("Operations", json(operations));
        return body;
    }

    static PatchResult patch(ResourceType type, String resource, String operations) {
        return patch(type, resource, operations, MemberSource.NONE);
    }

    static PatchResult patch(ResourceType type, String resource, String operations, MemberSource members) {
        return new PatchEngine(type).apply(object(resource), PatchRequest.parse(body(operations)), members);
    }

    /** Members given as "id:type:display" triples. */
    static MemberSource members(String... triples) {
        List<ObjectNode> list = new ArrayList<>();
        for (String triple : triples) {
            String[] parts = triple.split(":");
            list.add(Json.object().put("value", parts[0]).put("type", parts[1]).put("display", parts[2]));
        }
        return () -> List.copyOf(list);
    }

    static MemberDelta delta(boolean replaceAll, Set<String> added, Set<String> removed) {
        return new MemberDelta(replaceAll, added, removed);
    }
}
