package io.scimitar.scim.error;

/** The {@code scimType} values of RFC 7644 §3.12, plus the status each one travels with. */
public enum ScimType {
    INVALID_FILTER("invalidFilter", 400),
    TOO_MANY("tooMany", 400),
    UNIQUENESS("uniqueness", 409),
    MUTABILITY("mutability", 400),
    INVALID_SYNTAX("invalidSyntax", 400),
    INVALID_PATH("invalidPath", 400),
    NO_TARGET("noTarget", 400),
    INVALID_VALUE("invalidValue", 400),
    INVALID_VERS("invalidVers", 400),
    SENSITIVE("sensitive", 403);

    private final String wireName;
    private final int status;

    ScimType(String wireName, int status) {
        this.wireName = wireName;
        this.status = status;
    }

    /** The value as it appears in the error body. */
    public String wireName() {
        return wireName;
    }

    public int status() {
        return status;
    }
}
