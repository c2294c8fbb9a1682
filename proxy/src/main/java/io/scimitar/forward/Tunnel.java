package io.scimitar.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * One half of a connection pair after a protocol switch (RFC 9110 §15.2.2): what its channel
 * reads is written to the peer as it comes, never decoded, so WebSocket frames pass through as the
 * two ends wrote them. Backpressure is autoRead: a side stops reading while its peer is not
 * writable. When either side closes, the other closes once what it was given is flushed (the
 * connections do not support half-close); an idle side closes both.
 */
final class Tunnel extends ChannelInboundHandlerAdapter {

    private final Channel peer;

    private Tunnel(Channel peer) {
        this.peer = peer;
    }

    /**
     * Turns {@code client} (the listener's HTTP/1.1 pipeline, after the 101 was written to it) and
     * {@code app} (an upstream connection, after its 101 was read) into a tunnel. Must run on their
     * shared event loop, within the read that delivered the 101, so no byte is read in between.
     */
    static void splice(ChannelPipeline client, Channel app) {
        ChannelPipeline toApp = app.pipeline();
        client.addLast("tunnel", new Tunnel(app));
        toApp.addLast("tunnel", new Tunnel(client.channel()));
        client.remove(ForwardingHandler.class);
        if (client.get(FlowControlHandler.class) != null) {
            client.remove(FlowControlHandler.class); // anything it still holds is HTTP/1.1, dropped by the tunnel
        }
        toApp.remove(UpstreamHandler.class);
        // Encoders first: they hold no bytes. Removing a decoder hands its unread bytes (frames that
        // came in the same read as the handshake) to the tunnel, whose peer must then take raw bytes.
        CombinedChannelDuplexHandler<?, ?> serverCodec = client.get(HttpServerCodec.class);
        CombinedChannelDuplexHandler<?, ?> clientCodec = toApp.get(HttpClientCodec.class);
        serverCodec.removeOutboundHandler();
        clientCodec.removeOutboundHandler();
        client.remove(serverCodec);
        toApp.remove(clientCodec);
        client.channel().config().setAutoRead(app.isWritable());
        app.config().setAutoRead(client.channel().isWritable());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            peer.write(bytes, peer.voidPromise());
            if (!peer.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        } else {
            // The end of the handshake's HTTP/1.1 messages (an empty last content), or bytes a
            // client sent before the 101 against RFC 6455 §4.1, already decoded as HTTP/1.1.
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        peer.config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ReferenceCountUtil.release(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a failed write: the pair cannot go on, and the peer learns it from the close.
        ctx.close();
    }
}
