package io.scimitar.authn;

/** What {@link TokenExtractor} found: a token and its source, or a rejection before any verification. */
public sealed interface TokenExtraction permits ExtractedToken, AuthResult.Rejected {
}
