package io.scimitar.scim.feed;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What the feed needs of a request, copied off Netty's objects on the event loop. */
record FeedRequest(HttpMethod method, String path, Optional<Map<String, List<String>>> query,
        Optional<String> authorization, boolean acceptsGzip, boolean keepAlive, HttpVersion version) {

    static final String PREFIX = "/feed";
    static final String SNAPSHOT = "/feed/v1/snapshot";
    static final String CHANGES = "/feed/v1/changes";

    /** True for a request under {@code /feed}, which the feed answers (404 for an unknown one). */
    static boolean isFeed(HttpRequest request) {
        String path = path(request.uri());
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    static FeedRequest of(HttpRequest request) {
        Optional<Map<String, List<String>>> query;
        try {
            query = Optional.of(new QueryStringDecoder(request.uri()).parameters());
        } catch (IllegalArgumentException e) {
            query = Optional.empty();
        }
        return new FeedRequest(request.method(), path(request.uri()), query,
                Optional.ofNullable(request.headers().get(HttpHeaderNames.AUTHORIZATION)),
                acceptsGzip(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING)),
                HttpUtil.isKeepAlive(request), request.protocolVersion());
    }

    /** The same request, answered with {@code Connection: close}. */
    FeedRequest withoutKeepAlive() {
        return new FeedRequest(method, path, query, authorization, acceptsGzip, false, version);
    }

    /** The bearer token of the {@code Authorization} header; the scheme is case-insensitive (RFC 9110 §11.1). */
    Optional<String> bearerToken() {
        return authorization.flatMap(header -> {
            String value = header.strip();
            if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.empty();
            }
            String token = value.substring(7).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        });
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query >= 0 ? uri.substring(0, query) : uri;
    }

    /** RFC 9110 §12.5.3: gzip (or x-gzip, or *) listed with a quality above zero. */
    static boolean acceptsGzip(String header) {
        if (header == null) {
            return false;
        }
        for (String element : header.split(",")) {
            String[] parts = element.split(";");
            String coding = parts[0].strip().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
                continue;
            }
            double quality = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip();
                if (parameter.regionMatches(true, 0, "q=", 0, 2)) {
                    try {
                        quality = Double.parseDouble(parameter.substring(2).strip());
                    } catch (NumberFormatException e) {
                        quality = 0;
                    }
                }
            }
            if (quality > 0) {
                return true;
            }
        }
        return false;
    }
}
