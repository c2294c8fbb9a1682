package io.scimitar.scim.filter;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;

/** Realistic stored resources: keys in schema case, extensions under their URN, some IdP oddities. */
final class FilterFixtures {

    private FilterFixtures() {
    }

    /** Barbara Jensen of RFC 7643 §8.2, with the enterprise extension. */
    static final ObjectNode BJENSEN = json("""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
              "id": "bjensen",
              "externalId": "bjensen-ext",
              "userName": "bjensen",
              "name": {"formatted": "Ms. Barbara J Jensen III", "familyName": "Jensen", "givenName": "Barbara"},
              "displayName": "Babs Jensen",
              "nickName": "Babs",
              "title": "Tour Guide",
              "userType": "Employee",
              "active": true,
              "emails": [
                {"value": "bjensen@example.com", "type": "work", "primary": true},
                {"value": "babs@jensen.org", "type": "home"}
              ],
              "ims": [{"value": "babs@foo.com", "type": "xmpp"}],
              "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z",
                       "lastModified": "2011-05-13T04:42:34Z"},
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "employeeNumber": "701984",
                "department": "Tour Operations",
                "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}
              }
            }
            """);

    /** Provisioned by Entra: "False" as a string, an unknown attribute in odd case, a zone offset. */
    static final ObjectNode JSMITH = json("""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
              "id": "jsmith",
              "userName": "JSmith",
              "userType": "Intern",
              "active": "False",
              "CustomFlag": "Yes",
              "Score": 17,
              "emails": [{"value": "john.smith@example.org", "type": "work"}],
              "meta": {"resourceType": "User", "created": "2011-12-31T20:00:00Z",
                       "lastModified": "2012-01-01T00:00:00+02:00"},
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "employeeNumber": "42",
                "department": "Engineering"
              }
            }
            """);

    /** Sparse: an empty title, no e-mail addresses, fractional seconds, no extension. */
    static final ObjectNode POMALLEY = json("""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "id": "pomalley",
              "userName": "pomalley",
              "name": {"familyName": "O'Malley", "givenName": "Patrick"},
              "title": "",
              "active": false,
              "emails": [],
              "meta": {"resourceType": "User", "created": "2011-05-13T04:42:34.500Z",
                       "lastModified": "2011-05-13T04:42:34.500Z"}
            }
            """);

    static final List<ObjectNode> USERS = List.of(BJENSEN, JSMITH, POMALLEY);

    static final ObjectNode ADMINS = json("""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
              "id": "admins",
              "displayName": "Admins",
              "members": [
                {"value": "bjensen", "display": "Babs Jensen", "type": "User"},
                {"value": "jsmith", "type": "User"}
              ],
              "meta": {"resourceType": "Group", "lastModified": "2020-02-02T02:02:02Z"}
            }
            """);

    static final ObjectNode TOUR_GUIDES = json("""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
              "id": "tourguides",
              "displayName": "Tour Guides",
              "members": [],
              "meta": {"resourceType": "Group", "lastModified": "2020-02-03T02:02:02Z"}
            }
            """);

    static final List<ObjectNode> GROUPS = List.of(ADMINS, TOUR_GUIDES);

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
