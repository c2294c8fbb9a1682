package io.scimitar.scim.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;

/**
 * Netty's aggregator with the body limit, answering 413 (and a failed {@code Expect}) with a SCIM
 * error body instead of an empty response. As in Netty, an oversized body on a keep-alive
 * connection is read and discarded rather than the connection reset, so that the client, still
 * sending, gets to read the 413.
 */
final class BodyLimitAggregator extends HttpObjectAggregator {

    private final int maxBodyBytes;

    BodyLimitAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    /** {@code Expect: 100-continue} with a Content-Length over the limit: 413 before the body is sent. */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof HttpResponse refused && refused.status().code() >= 400) {
            int status = refused.status().code();
            ReferenceCountUtil.release(response);
            ScimResponse error = status == 413 ? tooLarge()
                    : ScimResponse.error(status, Optional.empty(), "unsupported Expect header");
            String requestId = RequestIds.next();
            AccessLog.log(requestId, methodOf(start), pathOf(start), status, System.nanoTime());
            return NettyResponses.toNetty(error, requestId, false, false, HttpUtil.isKeepAlive(start));
        }
        return response;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        // A complete message or a connection the client will not reuse: answer and close.
        boolean close = oversized instanceof FullHttpMessage
                || (!HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized));
        String requestId = RequestIds.next();
        AccessLog.log(requestId, methodOf(oversized), pathOf(oversized), 413, System.nanoTime());
        ChannelFuture written = ctx.writeAndFlush(NettyResponses.toNetty(
                tooLarge(), requestId, false, close, HttpUtil.isKeepAlive(oversized)));
        written.addListener(close ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private ScimResponse tooLarge() {
        return ScimResponse.error(413, Optional.empty(),
                "the request body is larger than " + maxBodyBytes + " bytes");
    }

    private static String methodOf(HttpMessage message) {
        return message instanceof HttpRequest request ? request.method().name() : "-";
    }

    private static String pathOf(HttpMessage message) {
        if (!(message instanceof HttpRequest request)) {
            return "-";
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        return query >= 0 ? uri.substring(0, query) : uri;
    }
}
