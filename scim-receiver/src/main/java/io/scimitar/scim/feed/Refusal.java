package io.scimitar.scim.feed;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/** A feed request answered with an error: the status, a detail for people, and headers the status needs. */
record Refusal(HttpResponseStatus status, String detail, Map<String, String> headers) {

    static final String CHALLENGE = "Bearer realm=\"scimitar-feed\"";

    Refusal {
        headers = Map.copyOf(headers);
    }

    static Refusal of(HttpResponseStatus status, String detail) {
        return new Refusal(status, detail, Map.of());
    }

    static Refusal unauthorized(String detail) {
        return new Refusal(HttpResponseStatus.UNAUTHORIZED, detail,
                Map.of(HttpHeaderNames.WWW_AUTHENTICATE.toString(), CHALLENGE));
    }

    /** 503 with {@code Retry-After}: the client tries again (here or at the next receiver). */
    static Refusal unavailable(String detail, int retryAfterSeconds) {
        return new Refusal(HttpResponseStatus.SERVICE_UNAVAILABLE, detail,
                Map.of(HttpHeaderNames.RETRY_AFTER.toString(), Integer.toString(retryAfterSeconds)));
    }

    /** Built on the event loop that writes it, so the buffer has one owner. */
    FullHttpResponse toResponse(boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(FeedLines.error(status.code(), detail)));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        headers.forEach(response.headers()::set);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }
}
