package io.scimitar.scim.schema;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The resource types this service provider serves (RFC 7643 §6) and how an attribute path
 * (with or without its schema URN) resolves to a definition.
 */
public enum ResourceType {
    USER("User", "/Users", Schemas.USER_SCHEMA, List.of(Schemas.ENTERPRISE_USER_SCHEMA)),
    GROUP("Group", "/Groups", Schemas.GROUP_SCHEMA, List.of());

    private final String wireName;
    private final String endpoint;
    private final Schema core;
    private final List<Schema> extensions;

    ResourceType(String wireName, String endpoint, Schema core, List<Schema> extensions) {
        this.wireName = wireName;
        this.endpoint = endpoint;
        this.core = core;
        this.extensions = extensions;
    }

    /** "User" or "Group", as in {@code meta.resourceType}. */
    public String wireName() {
        return wireName;
    }

    /** "/Users" or "/Groups", relative to the base path. */
    public String endpoint() {
        return endpoint;
    }

    public Schema core() {
        return core;
    }

    public List<Schema> extensions() {
        return extensions;
    }

    /** The extension schema with this URN, compared case-insensitively. */
    public Optional<Schema> extension(String urn) {
        return extensions.stream().filter(s -> s.id().equalsIgnoreCase(urn)).findFirst();
    }

    /** True when the URN names this type's core schema or one of its extensions. */
    public boolean knowsSchema(String urn) {
        return core.id().equalsIgnoreCase(urn) || extension(urn).isPresent();
    }

    /**
     * Resolves a top-level attribute. {@code urn} may be empty (core schema and common
     * attributes first, then the extensions, as IdPs sometimes omit the URN) or name a schema.
     */
    public Optional<AttributeDef> attribute(String urn, String name) {
        if (urn == null || urn.isEmpty() || urn.equalsIgnoreCase(core.id())) {
            Optional<AttributeDef> inCore = coreAttribute(name);
            if (inCore.isPresent() || (urn != null && !urn.isEmpty())) {
                return inCore;
            }
            for (Schema ext : extensions) {
                Optional<AttributeDef> inExt = ext.attribute(name);
                if (inExt.isPresent()) {
                    return inExt;
                }
            }
            return Optional.empty();
        }
        return extension(urn).flatMap(s -> s.attribute(name));
    }

    /** A common attribute (id, externalId, meta) or one of the core schema, by case-insensitive name. */
    public Optional<AttributeDef> coreAttribute(String name) {
        for (AttributeDef common : Schemas.COMMON) {
            if (common.name().equalsIgnoreCase(name)) {
                return Optional.of(common);
            }
        }
        return core.attribute(name);
    }

    /** The type whose endpoint this is ("/Users" or "Users"), compared case-sensitively as URLs are. */
    public static Optional<ResourceType> byEndpoint(String segment) {
        String withSlash = segment.startsWith("/") ? segment : "/" + segment;
        for (ResourceType type : values()) {
            if (type.endpoint.equals(withSlash)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The type with this {@code meta.resourceType} name, compared case-insensitively. */
    public static Optional<ResourceType> byName(String name) {
        for (ResourceType type : values()) {
            if (type.wireName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
