package io.scimitar.authn;

import java.util.Objects;

/** A raw, not yet verified token and the request part it came from. */
public record ExtractedToken(String token, TokenSource source) implements TokenExtraction {

    public ExtractedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(source, "source");
    }

    /** Never prints the token itself: tokens are credentials and must not reach a log. */
    @Override
    public String toString() {
        return "ExtractedToken[source=" + source + ", length=" + token.length() + "]";
    }
}
