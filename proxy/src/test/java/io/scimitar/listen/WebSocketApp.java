package io.scimitar.listen;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The app behind the sidecar for WebSocket tests: a real Netty WebSocket server (RFC 6455 through
 * {@link WebSocketServerProtocolHandler}) on loopback that echoes every data frame as it came.
 * It records each HTTP request it receives; {@code /refuse} answers 400 instead of upgrading, and
 * {@code /bye} sends a Close (1000) right after the handshake.
 */
public final class WebSocketApp implements AutoCloseable {

    /** One request as the app saw it; header names are lower-case. */
    public record Handshake(String target, Map<String, String> headers) {
    }

    static final int MAX_FRAME = 16 * 1024 * 1024;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
    private final BlockingQueue<Map.Entry<String, Channel>> upgraded = new LinkedBlockingQueue<>();
    private final Channel server;

    public WebSocketApp() {
        var config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/").checkStartsWith(true).subprotocols("chat.v1")
                .maxFramePayloadLength(MAX_FRAME).build();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new Recorder(), new WebSocketServerProtocolHandler(config), new Echo());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The next request the app received, waiting at most five seconds. */
    public Handshake nextHandshake() throws InterruptedException {
        Handshake next = handshakes.poll(5, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("the app received no request within 5 s");
        }
        return next;
    }

    /** The app's side of the next connection upgraded on {@code target}, waiting at most five seconds. */
    public Channel nextUpgraded(String target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Map.Entry<String, Channel> next = upgraded.poll(left, TimeUnit.NANOSECONDS);
            if (next != null && next.getKey().equals(target)) {
                return next.getValue();
            }
        }
        throw new AssertionError("no WebSocket handshake on " + target + " completed at the app within 5 s");
    }

    /** Forgets what earlier tests left unread, so one failing test does not fail the next. */
    public void forget() {
        handshakes.clear();
        upgraded.clear();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest request) {
                var headers = new TreeMap<String, String>();
                request.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(), h.getValue(), (a, b) -> a + "," + b));
                handshakes.add(new Handshake(request.uri(), headers));
                if (request.uri().equals("/refuse")) {
                    request.release();
                    byte[] body = "no WebSocket here".getBytes(StandardCharsets.UTF_8);
                    var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                            Unpooled.wrappedBuffer(body));
                    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                    ctx.writeAndFlush(response);
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete complete) {
                upgraded.add(Map.entry(complete.requestUri(), ctx.channel()));
                if (complete.requestUri().equals("/bye")) {
                    ctx.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(ChannelFutureListener.CLOSE);
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame
                    || msg instanceof ContinuationWebSocketFrame) {
                ctx.writeAndFlush(msg); // the frame itself: its fragmentation and payload go back unchanged
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
