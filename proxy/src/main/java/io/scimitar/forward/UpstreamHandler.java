package io.scimitar.forward;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: hands the app's response to the exchange that owns
 * the connection, or, while the connection is idle in the pool, closes it on anything unexpected.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private final UpstreamPool pool;
    private ForwardingHandler exchange;
    private int exchanges;

    UpstreamHandler(UpstreamPool pool) {
        this.pool = pool;
    }

    void attach(ForwardingHandler owner) {
        this.exchange = owner;
        exchanges++;
    }

    /** Whether the exchange now attached is not the connection's first: it came back from the pool. */
    boolean reused() {
        return exchanges > 1;
    }

    void detach() {
        this.exchange = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange != null && msg instanceof HttpObject object) {
            exchange.onUpstream(object);
        } else {
            // An idle connection has no request outstanding: whatever arrives is not for anyone.
            ReferenceCountUtil.release(msg);
            pool.evict(ctx.channel());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onUpstreamWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ForwardingHandler owner = exchange;
        exchange = null;
        if (owner != null) {
            owner.onUpstreamClosed();
        } else {
            pool.evict(ctx.channel());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && exchange == null) {
            pool.evict(ctx.channel());
        } else {
            ReferenceCountUtil.release(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a malformed response: closing reports it to the exchange as channelInactive.
        ctx.close();
    }
}
