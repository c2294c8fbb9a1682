package io.scimitar.listen;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP/2 client over cleartext with prior knowledge (RFC 9113 §3.3), on Netty: one
 * connection, and each {@link #send} opens a stream on it. java.net.http cannot do prior knowledge.
 */
final class H2Client implements AutoCloseable {

    /** A complete response on one stream; header names are lower-case, the HTTP/2 extension headers removed. */
    record Response(int status, HttpHeaders headers, byte[] body) {
    }

    /** The server reset the stream instead of answering it. */
    static final class StreamReset extends RuntimeException {
        StreamReset(String message) {
            super(message);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel connection;
    /** Completes with the error code of the first GOAWAY the server sends. */
    final CompletableFuture<Long> goAway = new CompletableFuture<>();

    H2Client(int port) throws InterruptedException {
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(
                                Http2FrameCodecBuilder.forClient()
                                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
                                        // send what a test says, even past the server's SETTINGS_MAX_HEADER_LIST_SIZE
                                        .encoderIgnoreMaxHeaderListSize(true).build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof Http2GoAwayFrame frame) {
                                            goAway.complete(frame.errorCode());
                                        }
                                        io.netty.util.ReferenceCountUtil.release(msg);
                                    }
                                });
                    }
                })
                .connect(InetAddress.getLoopbackAddress(), port).sync().channel();
    }

    boolean isOpen() {
        return connection.isActive();
    }

    /** Whether the server closed the connection within {@code millis}. */
    boolean closedWithin(long millis) {
        return connection.closeFuture().awaitUninterruptibly(millis);
    }

    /** Sends the request's head and then each of {@code parts} (HttpContent, the last one LastHttpContent) on a new stream. */
    CompletableFuture<Response> send(List<? extends HttpObject> parts) {
        var response = new CompletableFuture<Response>();
        var bootstrap = new Http2StreamChannelBootstrap(connection).handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                        new HttpObjectAggregator(64 * 1024 * 1024),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse full) {
                                HttpHeaders headers = new DefaultHttpHeaders().set(full.headers());
                                for (var name : HttpConversionUtil.ExtensionHeaderNames.values()) {
                                    headers.remove(name.text());
                                }
                                response.complete(new Response(full.status().code(), headers,
                                        ByteBufUtil.getBytes(full.content())));
                            }

                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                if (event instanceof Http2ResetFrame reset) {
                                    response.completeExceptionally(new StreamReset("reset: " + reset.errorCode()));
                                }
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                response.completeExceptionally(new StreamReset("closed without a response"));
                            }
                        });
            }
        });
        bootstrap.open().addListener(opened -> {
            if (!opened.isSuccess()) {
                parts.forEach(io.netty.util.ReferenceCountUtil::release);
                response.completeExceptionally(opened.cause());
                return;
            }
            var stream = (Http2StreamChannel) opened.getNow();
            for (HttpObject part : parts) {
                stream.write(part);
            }
            stream.flush();
        });
        return response;
    }

    @Override
    public void close() {
        connection.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
