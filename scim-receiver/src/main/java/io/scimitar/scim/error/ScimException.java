package io.scimitar.scim.error;

import java.util.Optional;

/**
 * A request the SCIM service refuses, carrying the HTTP status and (for 400/409/403) the
 * {@code scimType} of RFC 7644 §3.12. The message is safe to send to the client: it never
 * contains a token or a stored secret.
 */
public final class ScimException extends RuntimeException {

    private final int status;
    private final ScimType scimType;

    private ScimException(int status, ScimType scimType, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.scimType = scimType;
    }

    public int status() {
        return status;
    }

    public Optional<ScimType> scimType() {
        return Optional.ofNullable(scimType);
    }

    public String detail() {
        return getMessage();
    }

    public static ScimException of(ScimType type, String detail) {
        return new ScimException(type.status(), type, detail);
    }

    public static ScimException invalidFilter(String detail) {
        return of(ScimType.INVALID_FILTER, detail);
    }

    public static ScimException invalidSyntax(String detail) {
        return of(ScimType.INVALID_SYNTAX, detail);
    }

    public static ScimException invalidPath(String detail) {
        return of(ScimType.INVALID_PATH, detail);
    }

    public static ScimException noTarget(String detail) {
        return of(ScimType.NO_TARGET, detail);
    }

    public static ScimException invalidValue(String detail) {
        return of(ScimType.INVALID_VALUE, detail);
    }

    public static ScimException mutability(String detail) {
        return of(ScimType.MUTABILITY, detail);
    }

    public static ScimException uniqueness(String detail) {
        return of(ScimType.UNIQUENESS, detail);
    }

    public static ScimException tooMany(String detail) {
        return of(ScimType.TOO_MANY, detail);
    }

    public static ScimException sensitive(String detail) {
        return of(ScimType.SENSITIVE, detail);
    }

    /** An error with a status but no {@code scimType} (401, 404, 405, 412, 413, 415, 501, ...). */
    public static ScimException status(int status, String detail) {
        return new ScimException(status, null, detail);
    }

    public static ScimException notFound(String detail) {
        return status(404, detail);
    }

    public static ScimException preconditionFailed(String detail) {
        return status(412, detail);
    }
}
