package io.scimitar.scim.schema;

import static io.scimitar.scim.schema.AttributeDef.Mutability.IMMUTABLE;
import static io.scimitar.scim.schema.AttributeDef.Mutability.READ_ONLY;
import static io.scimitar.scim.schema.AttributeDef.Mutability.WRITE_ONLY;
import static io.scimitar.scim.schema.AttributeDef.Returned.ALWAYS;
import static io.scimitar.scim.schema.AttributeDef.Returned.NEVER;
import static io.scimitar.scim.schema.AttributeDef.Type.BINARY;
import static io.scimitar.scim.schema.AttributeDef.Type.BOOLEAN;
import static io.scimitar.scim.schema.AttributeDef.Type.COMPLEX;
import static io.scimitar.scim.schema.AttributeDef.Type.DATE_TIME;
import static io.scimitar.scim.schema.AttributeDef.Type.REFERENCE;
import static io.scimitar.scim.schema.AttributeDef.Type.STRING;

import java.util.List;

/**
 * The schemas this service provider supports: core User and Group (RFC 7643 §4) and the
 * enterprise User extension (§4.3), plus the common attributes of §3.1.
 */
public final class Schemas {

    public static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    public static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public static final String ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public static final String SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    public static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    public static final String SERVICE_PROVIDER_CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    public static final String RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    public static final String SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

    private Schemas() {
    }

    /** Common attributes (RFC 7643 §3.1) that every resource carries outside its schema. */
    public static final List<AttributeDef> COMMON = List.of(
            AttributeDef.builder("id", STRING).caseExact().mutability(READ_ONLY).returned(ALWAYS)
                    .uniqueness(AttributeDef.Uniqueness.SERVER)
                    .description("Unique identifier for the resource, assigned by the service provider.").build(),
            AttributeDef.builder("externalId", STRING).caseExact()
                    .description("Identifier of the resource as defined by the provisioning client.").build(),
            AttributeDef.builder("meta", COMPLEX).mutability(READ_ONLY).subAttributes(
                    AttributeDef.builder("resourceType", STRING).caseExact().mutability(READ_ONLY).build(),
                    AttributeDef.builder("created", DATE_TIME).mutability(READ_ONLY).build(),
                    AttributeDef.builder("lastModified", DATE_TIME).mutability(READ_ONLY).build(),
                    AttributeDef.builder("location", REFERENCE).caseExact().mutability(READ_ONLY)
                            .referenceTypes("uri").build(),
                    AttributeDef.builder("version", STRING).caseExact().mutability(READ_ONLY).build())
                    .description("Resource metadata.").build());

    private static AttributeDef multiValuedString(String name, String description, String... types) {
        return AttributeDef.builder(name, COMPLEX).multiValued().description(description).subAttributes(
                AttributeDef.builder("value", STRING).build(),
                AttributeDef.builder("display", STRING).build(),
                AttributeDef.builder("type", STRING).canonicalValues(types).build(),
                AttributeDef.builder("primary", BOOLEAN).build()).build();
    }

    public static final Schema USER_SCHEMA = new Schema(USER, "User", "User Account", List.of(
            AttributeDef.builder("userName", STRING).required().uniqueness(AttributeDef.Uniqueness.SERVER)
                    .description("Unique identifier for the User, typically used to sign in.").build(),
            AttributeDef.builder("name", COMPLEX).description("The components of the user's real name.")
                    .subAttributes(
                            AttributeDef.builder("formatted", STRING).build(),
                            AttributeDef.builder("familyName", STRING).build(),
                            AttributeDef.builder("givenName", STRING).build(),
                            AttributeDef.builder("middleName", STRING).build(),
                            AttributeDef.builder("honorificPrefix", STRING).build(),
                            AttributeDef.builder("honorificSuffix", STRING).build()).build(),
            AttributeDef.builder("displayName", STRING).build(),
            AttributeDef.builder("nickName", STRING).build(),
            AttributeDef.builder("profileUrl", REFERENCE).referenceTypes("external").build(),
            AttributeDef.builder("title", STRING).build(),
            AttributeDef.builder("userType", STRING).build(),
            AttributeDef.builder("preferredLanguage", STRING).build(),
            AttributeDef.builder("locale", STRING).build(),
            AttributeDef.builder("timezone", STRING).build(),
            AttributeDef.builder("active", BOOLEAN).build(),
            AttributeDef.builder("password", STRING).mutability(WRITE_ONLY).returned(NEVER)
                    .description("Never stored and never returned by this service provider.").build(),
            multiValuedString("emails", "Email addresses for the user.", "work", "home", "other"),
            multiValuedString("phoneNumbers", "Phone numbers for the User.",
                    "work", "home", "mobile", "fax", "pager", "other"),
            multiValuedString("ims", "Instant messaging addresses for the User.",
                    "aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"),
            multiValuedString("photos", "URLs of photos of the User.", "photo", "thumbnail"),
            AttributeDef.builder("addresses", COMPLEX).multiValued().subAttributes(
                    AttributeDef.builder("formatted", STRING).build(),
                    AttributeDef.builder("streetAddress", STRING).build(),
                    AttributeDef.builder("locality", STRING).build(),
                    AttributeDef.builder("region", STRING).build(),
                    AttributeDef.builder("postalCode", STRING).build(),
                    AttributeDef.builder("country", STRING).build(),
                    AttributeDef.builder("type", STRING).canonicalValues("work", "home", "other").build(),
                    AttributeDef.builder("primary", BOOLEAN).build()).build(),
            AttributeDef.builder("groups", COMPLEX).multiValued().mutability(READ_ONLY)
                    .description("Groups the user belongs to, maintained by the service provider.")
                    .subAttributes(
                            AttributeDef.builder("value", STRING).mutability(READ_ONLY).build(),
                            AttributeDef.builder("$ref", REFERENCE).mutability(READ_ONLY)
                                    .referenceTypes("User", "Group").build(),
                            AttributeDef.builder("display", STRING).mutability(READ_ONLY).build(),
                            AttributeDef.builder("type", STRING).mutability(READ_ONLY)
                                    .canonicalValues("direct", "indirect").build()).build(),
            multiValuedString("entitlements", "Entitlements of the User."),
            multiValuedString("roles", "Roles of the User."),
            AttributeDef.builder("x509Certificates", COMPLEX).multiValued().subAttributes(
                    AttributeDef.builder("value", BINARY).build(),
                    AttributeDef.builder("display", STRING).build(),
                    AttributeDef.builder("type", STRING).build(),
                    AttributeDef.builder("primary", BOOLEAN).build()).build()));

    public static final Schema ENTERPRISE_USER_SCHEMA = new Schema(ENTERPRISE_USER, "EnterpriseUser",
            "Enterprise User", List.of(
            AttributeDef.builder("employeeNumber", STRING).build(),
            AttributeDef.builder("costCenter", STRING).build(),
            AttributeDef.builder("organization", STRING).build(),
            AttributeDef.builder("division", STRING).build(),
            AttributeDef.builder("department", STRING).build(),
            AttributeDef.builder("manager", COMPLEX).subAttributes(
                    AttributeDef.builder("value", STRING).build(),
                    AttributeDef.builder("$ref", REFERENCE).referenceTypes("User").build(),
                    AttributeDef.builder("displayName", STRING).mutability(READ_ONLY).build()).build()));

    public static final Schema GROUP_SCHEMA = new Schema(GROUP, "Group", "Group", List.of(
            AttributeDef.builder("displayName", STRING).required()
                    .description("A human-readable name for the Group.").build(),
            AttributeDef.builder("members", COMPLEX).multiValued().description("A list of members of the Group.")
                    .subAttributes(
                            AttributeDef.builder("value", STRING).caseExact().mutability(IMMUTABLE).build(),
                            AttributeDef.builder("$ref", REFERENCE).mutability(IMMUTABLE)
                                    .referenceTypes("User", "Group").build(),
                            AttributeDef.builder("display", STRING).mutability(READ_ONLY).build(),
                            AttributeDef.builder("type", STRING).mutability(IMMUTABLE)
                                    .canonicalValues("User", "Group").build()).build()));

    /** Every schema served by {@code /Schemas}. */
    public static List<Schema> all() {
        return List.of(USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA);
    }
}
