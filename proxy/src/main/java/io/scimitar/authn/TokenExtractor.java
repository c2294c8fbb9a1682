package io.scimitar.authn;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the request's token in the enabled sources, in a fixed order of precedence: {@code
 * Authorization: Bearer}, then ALB's {@code x-amzn-oidc-data}, then the configured cookie. The
 * first source that is present decides: a bad token there is rejected, never passed over for a
 * weaker source. Oversized values are refused before they are parsed.
 */
public final class TokenExtractor {

    /** The header ALB sets after its OIDC login (AWS ELB guide, "Authenticate users"). */
    public static final String ALB_OIDC_DATA_HEADER = "x-amzn-oidc-data";

    /** 8 KiB: far above real tokens (Entra's largest are ~4 KiB), far below Netty's header limit. */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 8 * 1024;

    private static final String AUTHORIZATION = "authorization";
    private static final String COOKIE = "cookie";
    private static final String BEARER = "Bearer";

    private final boolean bearer;
    private final boolean albOidcData;
    private final String cookieName; // null when the cookie source is disabled
    private final int maxTokenLength;

    private TokenExtractor(Builder builder) {
        this.bearer = builder.bearer;
        this.albOidcData = builder.albOidcData;
        this.cookieName = builder.cookieName;
        this.maxTokenLength = builder.maxTokenLength;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The token of the first present source, or {@code MISSING}, {@code MALFORMED} or {@code TOO_LARGE}. */
    public TokenExtraction extract(RequestHeaders headers) {
        if (bearer) {
            List<String> authorization = headers.all(AUTHORIZATION);
            if (!authorization.isEmpty()) {
                return authorization.size() == 1 ? bearer(authorization.get(0)) : rejected(RejectReason.MALFORMED);
            }
        }
        if (albOidcData) {
            List<String> data = headers.all(ALB_OIDC_DATA_HEADER);
            if (!data.isEmpty()) {
                return data.size() == 1 ? plain(data.get(0).strip(), TokenSource.ALB_OIDC_DATA)
                        : rejected(RejectReason.MALFORMED);
            }
        }
        if (cookieName != null) {
            List<String> cookies = headers.all(COOKIE);
            if (!cookies.isEmpty()) {
                return cookie(cookies);
            }
        }
        return rejected(RejectReason.MISSING);
    }

    /**
     * The source {@link #extract} would take the token from (the first enabled source whose header
     * is present), or {@code null} when none is; reads no values, so it allocates nothing.
     */
    TokenSource firstPresent(RequestHeaders headers) {
        if (bearer && headers.contains(AUTHORIZATION)) {
            return TokenSource.AUTHORIZATION_HEADER;
        }
        if (albOidcData && headers.contains(ALB_OIDC_DATA_HEADER)) {
            return TokenSource.ALB_OIDC_DATA;
        }
        if (cookieName != null && headers.contains(COOKIE)) {
            return TokenSource.COOKIE;
        }
        return null;
    }

    /** The request header a source's token travels in. */
    static String headerName(TokenSource source) {
        return switch (source) {
            case AUTHORIZATION_HEADER -> AUTHORIZATION;
            case ALB_OIDC_DATA -> ALB_OIDC_DATA_HEADER;
            case COOKIE -> COOKIE;
        };
    }

    /**
     * RFC 6750 §2.1: {@code credentials = "Bearer" 1*SP b64token}; the scheme is case-insensitive
     * (RFC 9110 §11.1) and exactly one token follows. Any other scheme is refused as malformed rather
     * than skipped, so a request never falls through to a weaker source.
     */
    private TokenExtraction bearer(String value) {
        if (value.length() > maxTokenLength + BEARER.length() + 1) {
            return rejected(RejectReason.TOO_LARGE);
        }
        String trimmed = value.strip();
        if (trimmed.length() <= BEARER.length() || !trimmed.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || trimmed.charAt(BEARER.length()) != ' ') {
            return rejected(RejectReason.MALFORMED);
        }
        int start = BEARER.length();
        while (start < trimmed.length() && trimmed.charAt(start) == ' ') {
            start++;
        }
        String token = trimmed.substring(start);
        if (token.isEmpty() || !isB64Token(token)) {
            return rejected(RejectReason.MALFORMED);
        }
        return plain(token, TokenSource.AUTHORIZATION_HEADER);
    }

    private TokenExtraction plain(String token, TokenSource source) {
        if (token.length() > maxTokenLength) {
            return rejected(RejectReason.TOO_LARGE);
        }
        if (token.isEmpty()) {
            return rejected(RejectReason.MISSING);
        }
        return new ExtractedToken(token, source);
    }

    /**
     * RFC 6265 §4.2.1 {@code cookie-string}, possibly split over several {@code cookie} headers
     * (HTTP/2, RFC 9113 §8.2.3). Two cookies with our name are refused: a sibling subdomain can set
     * a second, attacker-chosen cookie of the same name ("cookie tossing"), and nothing says which
     * one the browser sends first.
     */
    private TokenExtraction cookie(List<String> headerValues) {
        String found = null;
        for (String header : headerValues) {
            int pos = 0;
            int length = header.length();
            while (pos < length) {
                int end = header.indexOf(';', pos);
                if (end < 0) {
                    end = length;
                }
                int nameStart = skipSpaces(header, pos, end);
                int eq = header.indexOf('=', nameStart);
                if (eq > 0 && eq < end && eq - nameStart == cookieName.length()
                        && header.regionMatches(nameStart, cookieName, 0, cookieName.length())) {
                    if (found != null) {
                        return rejected(RejectReason.MALFORMED);
                    }
                    int valueEnd = end;
                    while (valueEnd > eq + 1 && header.charAt(valueEnd - 1) == ' ') {
                        valueEnd--;
                    }
                    if (valueEnd - (eq + 1) > maxTokenLength + 2) {
                        return rejected(RejectReason.TOO_LARGE);
                    }
                    found = unquote(header.substring(eq + 1, valueEnd));
                }
                pos = end + 1;
            }
        }
        if (found == null) {
            return rejected(RejectReason.MISSING);
        }
        return plain(found, TokenSource.COOKIE);
    }

    private static int skipSpaces(String s, int from, int to) {
        int i = from;
        while (i < to && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** RFC 6750 §2.1: {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    private static boolean isB64Token(String token) {
        int i = 0;
        int length = token.length();
        while (i < length && isB64TokenChar(token.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return false;
        }
        while (i < length && token.charAt(i) == '=') {
            i++;
        }
        return i == length;
    }

    private static boolean isB64TokenChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }

    private static AuthResult.Rejected rejected(RejectReason reason) {
        return AuthResult.Rejected.of(reason);
    }

    /** Which sources are enabled (bearer only, by default) and the size limit. */
    public static final class Builder {
        private boolean bearer = true;
        private boolean albOidcData;
        private String cookieName;
        private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;

        private Builder() {
        }

        public Builder bearer(boolean enabled) {
            this.bearer = enabled;
            return this;
        }

        public Builder albOidcData(boolean enabled) {
            this.albOidcData = enabled;
            return this;
        }

        /** Also read the token from this cookie; empty disables the cookie source. */
        public Builder cookie(Optional<String> name) {
            name.ifPresent(TokenExtractor::checkCookieName);
            this.cookieName = name.orElse(null);
            return this;
        }

        public Builder maxTokenLength(int length) {
            this.maxTokenLength = JwtAuthenticator.Builder.checkedMaxTokenLength(length);
            return this;
        }

        public TokenExtractor build() {
            if (!bearer && !albOidcData && cookieName == null) {
                throw new IllegalStateException("no token source enabled: enable bearer, albOidcData or a cookie");
            }
            return new TokenExtractor(this);
        }
    }

    /** RFC 6265 §4.1.1: a cookie name is an RFC 9110 token (no separators, controls or spaces). */
    private static void checkCookieName(String name) {
        Objects.requireNonNull(name, "cookie name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("cookie name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new IllegalArgumentException(
                        "cookie name '" + name + "' has a character not allowed in a token at index " + i);
            }
        }
    }
}
