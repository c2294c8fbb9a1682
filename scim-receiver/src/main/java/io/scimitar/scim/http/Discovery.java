package io.scimitar.scim.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.error.ScimException;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.schema.AttributeDef;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.schema.Schema;
import io.scimitar.scim.schema.Schemas;
import java.util.List;

/**
 * The discovery endpoints of RFC 7644 §4: {@code /ServiceProviderConfig}, {@code /Schemas} and
 * {@code /ResourceTypes}, generated from the schema definitions the engines use, so what we
 * advertise is what we enforce.
 */
final class Discovery {

    private final int maxResults;

    Discovery(int maxResults) {
        this.maxResults = maxResults;
    }

    /** RFC 7643 §5. */
    ObjectNode serviceProviderConfig(String baseUrl) {
        ObjectNode config = Json.object();
        config.putArray("schemas").add(Schemas.SERVICE_PROVIDER_CONFIG);
        config.putObject("patch").put("supported", true);
        config.putObject("bulk").put("supported", false).put("maxOperations", 0).put("maxPayloadSize", 0);
        config.putObject("filter").put("supported", true).put("maxResults", maxResults);
        config.putObject("changePassword").put("supported", false);
        config.putObject("sort").put("supported", true);
        config.putObject("etag").put("supported", true);
        config.putArray("authenticationSchemes").addObject()
                .put("type", "oauthbearertoken")
                .put("name", "OAuth Bearer Token")
                .put("description", "Authentication with a bearer token in the Authorization header")
                .put("specUri", "https://www.rfc-editor.org/info/rfc6750")
                .put("primary", true);
        meta(config, "ServiceProviderConfig", baseUrl + "/ServiceProviderConfig");
        return config;
    }

    ObjectNode schemas(String baseUrl) {
        return listOf(Schemas.all().stream().map(s -> schema(s, baseUrl)).toList());
    }

    ObjectNode schema(String urn, String baseUrl) {
        return Schemas.all().stream()
                .filter(s -> s.id().equalsIgnoreCase(urn))
                .findFirst()
                .map(s -> schema(s, baseUrl))
                .orElseThrow(() -> ScimException.notFound("no schema with this id"));
    }

    ObjectNode resourceTypes(String baseUrl) {
        return listOf(List.of(ResourceType.values()).stream().map(t -> resourceType(t, baseUrl)).toList());
    }

    ObjectNode resourceType(String name, String baseUrl) {
        return ResourceType.byName(name)
                .map(t -> resourceType(t, baseUrl))
                .orElseThrow(() -> ScimException.notFound("no resource type with this id"));
    }

    /** RFC 7643 §6. */
    private static ObjectNode resourceType(ResourceType type, String baseUrl) {
        ObjectNode node = document(Schemas.RESOURCE_TYPE, type.wireName(), type.wireName());
        node.put("endpoint", type.endpoint());
        node.put("description", type.core().description());
        node.put("schema", type.core().id());
        ArrayNode extensions = node.putArray("schemaExtensions");
        for (Schema extension : type.extensions()) {
            extensions.addObject().put("schema", extension.id()).put("required", false);
        }
        meta(node, "ResourceType", baseUrl + "/ResourceTypes/" + type.wireName());
        return node;
    }

    /** RFC 7643 §7. */
    private static ObjectNode schema(Schema schema, String baseUrl) {
        ObjectNode node = document(Schemas.SCHEMA, schema.id(), schema.name());
        node.put("description", schema.description());
        ArrayNode attributes = node.putArray("attributes");
        schema.attributes().forEach(a -> attributes.add(attribute(a)));
        meta(node, "Schema", baseUrl + "/Schemas/" + schema.id());
        return node;
    }

    /** The head every discovery resource starts with: its schema URN, id and name. */
    private static ObjectNode document(String schemaUrn, String id, String name) {
        ObjectNode node = Json.object();
        node.putArray("schemas").add(schemaUrn);
        node.put("id", id);
        node.put("name", name);
        return node;
    }

    private static ObjectNode attribute(AttributeDef def) {
        ObjectNode node = Json.object();
        node.put("name", def.name());
        node.put("type", def.type().wireName());
        node.put("multiValued", def.multiValued());
        node.put("description", def.description());
        node.put("required", def.required());
        if (!def.isComplex()) {
            node.put("caseExact", def.caseExact());
        }
        if (!def.canonicalValues().isEmpty()) {
            ArrayNode values = node.putArray("canonicalValues");
            def.canonicalValues().forEach(values::add);
        }
        if (def.type() == AttributeDef.Type.REFERENCE) {
            ArrayNode types = node.putArray("referenceTypes");
            def.referenceTypes().forEach(types::add);
        }
        node.put("mutability", def.mutability().wireName());
        node.put("returned", def.returned().wireName());
        node.put("uniqueness", def.uniqueness().wireName());
        if (def.isComplex()) {
            ArrayNode subs = node.putArray("subAttributes");
            def.subAttributes().forEach(s -> subs.add(attribute(s)));
        }
        return node;
    }

    private static ObjectNode listOf(List<ObjectNode> resources) {
        ObjectNode list = Json.object();
        list.putArray("schemas").add(Schemas.LIST_RESPONSE);
        list.put("totalResults", resources.size());
        list.put("startIndex", 1);
        list.put("itemsPerPage", resources.size());
        list.putArray("Resources").addAll(resources);
        return list;
    }

    private static void meta(ObjectNode node, String resourceType, String location) {
        node.putObject("meta").put("resourceType", resourceType).put("location", location);
    }
}
