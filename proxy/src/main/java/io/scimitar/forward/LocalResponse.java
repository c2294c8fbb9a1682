package io.scimitar.forward;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** A response the sidecar answers itself (a rejection, a denial, an upstream failure): no body, so no reason leaks. */
public final class LocalResponse {

    private LocalResponse() {
    }

    /** An empty response with {@code status}, keeping the connection open when {@code keepAlive}. */
    public static FullHttpResponse of(HttpResponseStatus status, boolean keepAlive) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }
}
