package io.scimitar.scim.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as the endpoints see it, copied out of Netty's buffers so that it can travel to the
 * blocking executor after the {@code FullHttpRequest} was released.
 *
 * @param path    the raw (still percent-encoded) path, without the query
 * @param query   decoded query parameters
 * @param baseUrl the absolute URL of the SCIM base path, for {@code meta.location}
 */
record ScimRequest(
        String requestId,
        HttpMethod method,
        String path,
        Map<String, List<String>> query,
        HttpHeaders headers,
        byte[] body,
        String baseUrl) {

    Optional<String> header(CharSequence name) {
        return Optional.ofNullable(headers.get(name));
    }
}
