package io.scimitar.listen;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.scimitar.forward.AdmittedRequest;

/**
 * Between the gate and the forwarder of every HTTP/2 stream. The h2 codec carries pseudo-headers
 * the app must not see as {@code x-http2-*} headers ({@code :authority} already became Host);
 * they are removed here, and a request without an authority gets the empty Host HTTP/1.1 requires
 * (RFC 9112 §3.2). Its {@code channelRead} is the one place that holds both an admitted stream's
 * {@link AdmittedRequest} and its connection ({@code ctx.channel().parent()}).
 */
@Sharable
final class StreamAdmission extends ChannelInboundHandlerAdapter {

    private static final ExtensionHeaderNames[] EXTENSION_HEADERS = ExtensionHeaderNames.values();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof AdmittedRequest admitted) {
            restoreHttp1Headers(admitted.request().headers());
        }
        ctx.fireChannelRead(msg);
    }

    private static void restoreHttp1Headers(HttpHeaders headers) {
        for (ExtensionHeaderNames name : EXTENSION_HEADERS) {
            headers.remove(name.text());
        }
        if (!headers.contains(HttpHeaderNames.HOST)) {
            headers.set(HttpHeaderNames.HOST, "");
        }
    }
}
