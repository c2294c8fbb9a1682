package io.scimitar.scim.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Turns a {@link ScimResponse} into Netty's response, with the headers every SCIM response carries. */
final class NettyResponses {

    static final String REQUEST_ID_HEADER = "X-Request-Id";

    private NettyResponses() {
    }

    /**
     * @param head         true for a HEAD request: the headers of the GET response, no body
     * @param close        true when the connection closes after this response
     * @param clientKeepsAlive true when the request asked to keep the connection (HTTP/1.0 needs
     *                     {@code Connection: keep-alive} echoed back)
     */
    static FullHttpResponse toNetty(ScimResponse response, String requestId, boolean head, boolean close,
            boolean clientKeepsAlive) {
        byte[] body = response.body();
        ByteBuf content = head || body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), content);
        HttpHeaders headers = out.headers();
        if (body.length > 0) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, ScimResponse.CONTENT_TYPE);
        }
        int status = response.status();
        if (status != 204 && status != 304 && status >= 200) {
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        response.headers().forEach(headers::set);
        headers.set(REQUEST_ID_HEADER, requestId);
        // Directory data is personal data: no shared cache should keep it.
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientKeepsAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return out;
    }
}
