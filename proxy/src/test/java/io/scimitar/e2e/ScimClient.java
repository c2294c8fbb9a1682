package io.scimitar.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Provisions the directory the way an IdP does: SCIM 2.0 over HTTP to the sidecar's embedded
 * receiver, with its bearer token. Each call asserts the status SCIM promises and returns the
 * resource's id.
 */
final class ScimClient {

    private static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String token;

    ScimClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** Creates an active user named {@code userName} with {@code email} as its work email; returns its id. */
    String createUser(String userName, String email) {
        return createUser(userName, Optional.empty(), email, true);
    }

    String createUser(String userName, Optional<String> externalId, String email, boolean active) {
        ObjectNode user = JSON.createObjectNode();
        user.putArray("schemas").add(USER_SCHEMA);
        user.put("userName", userName);
        externalId.ifPresent(id -> user.put("externalId", id));
        user.put("active", active);
        user.putArray("emails").addObject().put("value", email).put("type", "work").put("primary", true);
        return send("POST", "/Users", user, 201).get("id").asText();
    }

    /** Creates a group with these members; returns its id. */
    String createGroup(String displayName, String... memberIds) {
        ObjectNode group = JSON.createObjectNode();
        group.putArray("schemas").add(GROUP_SCHEMA);
        group.put("displayName", displayName);
        ArrayNode members = group.putArray("members");
        for (String id : memberIds) {
            members.addObject().put("value", id);
        }
        return send("POST", "/Groups", group, 201).get("id").asText();
    }

    void deactivate(String userId) {
        ObjectNode patch = patch();
        ((ArrayNode) patch.get("Operations")).addObject().put("op", "replace").putObject("value").put("active", false);
        send("PATCH", "/Users/" + userId, patch, 200);
    }

    void deleteUser(String userId) {
        send("DELETE", "/Users/" + userId, null, 204);
    }

    void removeMember(String groupId, String userId) {
        ObjectNode patch = patch();
        ((ArrayNode) patch.get("Operations")).addObject().put("op", "remove")
                .put("path", "members[value eq \"" + userId + "\"]");
        send("PATCH", "/Groups/" + groupId, patch, 200, 204);
    }

    void addMember(String groupId, String userId) {
        ObjectNode patch = patch();
        ((ArrayNode) patch.get("Operations")).addObject().put("op", "add").put("path", "members")
                .putArray("value").addObject().put("value", userId);
        send("PATCH", "/Groups/" + groupId, patch, 200, 204);
    }

    private static ObjectNode patch() {
        ObjectNode patch = JSON.createObjectNode();
        patch.putArray("schemas").add(PATCH_SCHEMA);
        patch.putArray("Operations");
        return patch;
    }

    private JsonNode send(String method, String path, JsonNode body, int... expected) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/scim+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()))
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            for (int status : expected) {
                if (response.statusCode() == status) {
                    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
                }
            }
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
