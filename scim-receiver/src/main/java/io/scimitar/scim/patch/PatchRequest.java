package io.scimitar.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.error.ScimException;
import java.util.List;

/**
 * Reads a PatchOp message (RFC 7644 §3.5.2) into operations, accepting the forms real IdPs send:
 * capitalised ops ({@code "Replace"}), and the other Entra ID and Okta shapes described in
 * docs/scim-interop.md. Anything else malformed is a {@link ScimException} with
 * {@code invalidSyntax}, {@code invalidPath} or {@code invalidValue}.
 */
public final class PatchRequest {

    private PatchRequest() {
    }

    public static List<PatchOperation> parse(JsonNode body) {
        throw new UnsupportedOperationException("TODO");
    }
}
