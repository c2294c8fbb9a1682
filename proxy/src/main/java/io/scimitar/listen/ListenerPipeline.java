package io.scimitar.listen;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.scimitar.forward.ForwardingHandler;
import io.scimitar.forward.UpstreamPool;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Builds each accepted connection's pipeline. HTTP/1.1 reads: idle ▸ codec ▸ flow ▸ gate ▸ forward.
 * HTTP/2 reads: idle ▸ [tls] ▸ frame codec ▸ multiplexer ▸ idle guard, and every stream is a child
 * channel with its own h2-to-HTTP/1 codec ▸ flow ▸ gate ▸ stream admission ▸ forward, so both
 * protocols share the gate and the forwarder. Which one a connection speaks is chosen by ALPN with
 * TLS, and without it by the client: the h2 preface (prior knowledge), {@code Upgrade: h2c}, or
 * plain HTTP/1.1.
 */
final class ListenerPipeline extends ChannelInitializer<SocketChannel> {

    /** Room on the request line for the method, the version and the spaces around the target. */
    private static final int REQUEST_LINE_OVERHEAD = 64;
    /**
     * SETTINGS_MAX_CONCURRENT_STREAMS: each open stream may hold one upstream connection, so this
     * bounds what one client connection can take from the app (RFC 9113 §6.5.2 suggests at least 100).
     */
    static final int MAX_CONCURRENT_STREAMS = 100;
    private static final CharSequence H2C = Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME;

    private final SidecarSettings settings;
    private final AccessCheck accessCheck;
    private final PathNormalizer normalizer;
    private final UpstreamPool pool;
    private final Optional<SslContext> tls;
    private final Drain drain;
    private final ChannelGroup connections;
    private final Optional<LiveConnections> live;
    private final HttpDecoderConfig http1Decoder;
    private final Http2Settings http2Settings;
    private final StreamAdmission streamAdmission = new StreamAdmission();
    private final ChannelInitializer<Http2StreamChannel> streams = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Http2StreamChannel stream) {
            stream.pipeline()
                    .addLast("h2", new Http2StreamFrameToHttpObjectCodec(true))
                    .addLast("flow", new FlowControlHandler())
                    .addLast("gate", new RequestGate(normalizer, accessCheck, drain, live))
                    .addLast("stream", streamAdmission)
                    .addLast("forward", new ForwardingHandler(pool, settings.forward()));
        }
    };

    ListenerPipeline(SidecarSettings settings, AccessCheck accessCheck, PathNormalizer normalizer, UpstreamPool pool,
            Optional<SslContext> tls, Drain drain, ChannelGroup connections, Optional<LiveConnections> live) {
        this.settings = settings;
        this.accessCheck = accessCheck;
        this.normalizer = normalizer;
        this.pool = pool;
        this.tls = tls;
        this.drain = drain;
        this.connections = connections;
        this.live = live;
        this.http1Decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxRequestTargetLength() + REQUEST_LINE_OVERHEAD)
                .setMaxHeaderSize(settings.maxHeaderSize());
        // A header block over the limit is answered 431 on its stream by Netty (RFC 9113 §6.5.2), and
        // one over 1.25 times the limit ends the connection; the request-target bound is the gate's.
        this.http2Settings = Http2Settings.defaultSettings()
                .maxHeaderListSize(settings.maxHeaderSize())
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        ChannelPipeline pipeline = ch.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        if (tls.isPresent()) {
            pipeline.addLast("tls", tls.get().newHandler(ch.alloc()))
                    .addLast("alpn", new ProtocolChoice());
        } else if (settings.h2c()) {
            HttpServerCodec codec = new HttpServerCodec(http1Decoder);
            pipeline.addLast("h2c", new CleartextHttp2ServerUpgradeHandler(codec, new H2cUpgrade(codec),
                    new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel connection) {
                            // The client sent the HTTP/2 preface: no HTTP/1.1 exchange will happen here.
                            removeHttp1Exchange(connection.pipeline());
                            addHttp2(connection.pipeline());
                        }
                    }));
            addHttp1Exchange(pipeline);
        } else {
            pipeline.addLast("http", new HttpServerCodec(http1Decoder));
            addHttp1Exchange(pipeline);
        }
    }

    private void addHttp1Exchange(ChannelPipeline pipeline) {
        pipeline.addLast("flow", new FlowControlHandler())
                .addLast("gate", new RequestGate(normalizer, accessCheck, drain, live))
                .addLast("forward", new ForwardingHandler(pool, settings.forward()));
    }

    private static void removeHttp1Exchange(ChannelPipeline pipeline) {
        pipeline.remove("flow");
        pipeline.remove("gate");
        pipeline.remove("forward");
    }

    private void addHttp2(ChannelPipeline pipeline) {
        Http2FrameCodec codec = newHttp2Codec();
        pipeline.addLast("h2", codec)
                .addLast("streams", new Http2MultiplexHandler(streams))
                .addLast("h2-idle", new Http2IdleGuard(codec));
    }

    private Http2FrameCodec newHttp2Codec() {
        return Http2FrameCodecBuilder.forServer().initialSettings(http2Settings).build();
    }

    /** The codec that takes the connection to HTTP/2 once the 101 is written; {@code null} (Netty's "not this one") for other protocols. */
    private HttpServerUpgradeHandler.UpgradeCodec h2cUpgradeCodec(CharSequence protocol) {
        if (!AsciiString.contentEqualsIgnoreCase(H2C, protocol)) {
            return null;
        }
        Http2FrameCodec codec = newHttp2Codec();
        return new Http2ServerUpgradeCodec(codec, new Http2MultiplexHandler(streams), new Http2IdleGuard(codec)) {
            @Override
            public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest upgradeRequest) {
                // The request that asked for the upgrade is answered on stream 1, through the stream pipeline.
                removeHttp1Exchange(ctx.pipeline());
                super.upgradeTo(ctx, upgradeRequest);
            }
        };
    }

    /** After the TLS handshake: h2 or http/1.1 as ALPN agreed; a client without ALPN gets HTTP/1.1. */
    private final class ProtocolChoice extends ApplicationProtocolNegotiationHandler {

        ProtocolChoice() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            switch (protocol) {
                case ApplicationProtocolNames.HTTP_2 -> addHttp2(ctx.pipeline());
                case ApplicationProtocolNames.HTTP_1_1 -> {
                    ctx.pipeline().addLast("http", new HttpServerCodec(http1Decoder));
                    addHttp1Exchange(ctx.pipeline());
                }
                default -> throw new IllegalStateException("ALPN agreed on a protocol never offered: " + protocol);
            }
        }
    }

    /**
     * {@code Upgrade: h2c} (RFC 7540 §3.2) on a connection's first request, when that request has no
     * body: the upgrade handler would have to hold a body in memory, so one with a body is served as
     * HTTP/1.1, as is any other upgrade (WebSocket).
     */
    private final class H2cUpgrade extends HttpServerUpgradeHandler {

        H2cUpgrade(HttpServerCodec codec) {
            super(codec, ListenerPipeline.this::h2cUpgradeCodec, 0,
                    DefaultHttpHeadersFactory.headersFactory(), DefaultHttpHeadersFactory.trailersFactory(), true);
        }

        @Override
        protected boolean shouldHandleUpgradeRequest(HttpRequest request) {
            return AsciiString.contentEqualsIgnoreCase(H2C, request.headers().get(HttpHeaderNames.UPGRADE))
                    && !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
        }
    }
}
