package io.scimitar.listen;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.scimitar.forward.AdmittedRequest;
import io.scimitar.forward.LocalResponse;
import io.scimitar.forward.ProtocolSwitched;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener's filter for each request: a request the codec could not parse, a request-target
 * {@link PathNormalizer} rejects, or a request the {@link AccessCheck} denies is answered here and
 * its body dropped; an allowed one goes on as an {@link AdmittedRequest}, its body after it. It
 * also counts each admitted exchange in the {@link Drain} until the last part of its final
 * response is written (or the connection closes), and refuses new requests with 503 while draining.
 *
 * <p>With {@link LiveConnections}, the gate registers the long-lived connections its users hold:
 * an HTTP/1.1 connection when the forwarder reports that the last admitted request switched
 * protocols (the gate then leaves the pipeline), and an HTTP/2 connection once per admitted stream,
 * for as long as the stream is open.
 */
final class RequestGate extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RequestGate.class);
    private static final String INVALID_TOKEN = "Bearer error=\"invalid_token\"";
    /** The longest a request waits for the signing key its token names (the key fetch's own timeout is 5 s). */
    static final Duration KEY_WAIT = Duration.ofSeconds(6);

    private final PathNormalizer normalizer;
    private final AccessCheck accessCheck;
    private final Drain drain;
    private final Optional<LiveConnections> live;
    private Verdict.Allow lastAllowed;  // the last admitted request: its verdict, method and path
    private String lastMethod;
    private String lastPath;
    private boolean inFlight;    // an admitted exchange's final response is not yet fully written
    private boolean interim;     // the response being written is a 1xx: its end is not the exchange's
    private boolean passing;     // the body of an admitted request follows
    private boolean discarding;  // the body of a refused request follows

    RequestGate(PathNormalizer normalizer, AccessCheck accessCheck, Drain drain, Optional<LiveConnections> live) {
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
        this.accessCheck = Objects.requireNonNull(accessCheck, "accessCheck");
        this.drain = Objects.requireNonNull(drain, "drain");
        this.live = Objects.requireNonNull(live, "live");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ProtocolSwitched && lastAllowed != null) {
            // The forwarder reads no next request before the response ends, so the switch is the last admitted one's.
            lastAllowed.subject().ifPresent(subject -> live.ifPresent(
                    registry -> registry.register(ctx.channel(), subject, lastMethod, lastPath)));
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            // Also a FullHttpRequest (an HTTP/2 HEADERS frame with END_STREAM): admit owns it, body and all.
            admit(ctx, request);
        } else if (msg instanceof HttpContent content) {
            if (passing) {
                passing = !(content instanceof LastHttpContent);
                ctx.fireChannelRead(content);
            } else {
                discarding &= !(content instanceof LastHttpContent);
                content.release();
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void admit(ChannelHandlerContext ctx, HttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            // The codec stops parsing after a bad message, so the connection cannot carry another.
            HttpResponseStatus status = switch (decoded.cause()) {
                case TooLongHttpHeaderException e -> HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
                case TooLongHttpLineException e -> HttpResponseStatus.REQUEST_URI_TOO_LONG;
                default -> HttpResponseStatus.BAD_REQUEST;
            };
            LOG.atInfo().setMessage("unparseable request").addKeyValue("event", "request_malformed")
                    .addKeyValue("status", status.code()).addKeyValue("detail", decoded.cause().getMessage()).log();
            ReferenceCountUtil.release(request);
            ctx.writeAndFlush(LocalResponse.of(status, false)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        boolean hasBody = !(request instanceof LastHttpContent);
        if (drain.draining()) {
            refuse(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, false, hasBody, false);
            return;
        }
        switch (normalizer.normalize(request.uri())) {
            case PathNormalizer.Rejected rejected -> {
                LOG.atInfo().setMessage("request-target rejected").addKeyValue("event", "path_rejected")
                        .addKeyValue("reason", rejected.reason()).addKeyValue("detail", rejected.detail()).log();
                refuse(ctx, request, HttpResponseStatus.valueOf(rejected.reason().status()), false, hasBody, true);
            }
            case PathNormalizer.Normalized normalized -> decide(ctx, request, normalized, hasBody, true);
        }
    }

    private void decide(ChannelHandlerContext ctx, HttpRequest request, PathNormalizer.Normalized normalized,
            boolean hasBody, boolean mayHold) {
        Verdict verdict;
        try {
            verdict = accessCheck.check(request, normalized.path());
        } catch (RuntimeException e) {
            LOG.atError().setMessage("the access check failed").addKeyValue("event", "access_check_failed")
                    .setCause(e).log();
            verdict = Verdict.deny(Verdict.Denial.UNAVAILABLE);
        }
        switch (verdict) {
            case Verdict.Allow allow -> {
                passing = hasBody;
                inFlight = true;
                drain.begin();
                remember(ctx, allow, request.method().name(), normalized.path());
                ctx.fireChannelRead(new AdmittedRequest(request, normalized.requestTarget(), allow.identity()));
            }
            case Verdict.Deny deny -> refuse(ctx, request, deny.denial().status(),
                    deny.denial() == Verdict.Denial.UNAUTHENTICATED, hasBody, true);
            case Verdict.Pending pending when mayHold -> hold(ctx, request, normalized, hasBody, pending);
            // Asked once more after the fetch, and a key is still on its way: refused, as without it.
            case Verdict.Pending pending -> refuse(ctx, request, HttpResponseStatus.UNAUTHORIZED, true, hasBody, true);
        }
    }

    /**
     * Holds the request while the signing key its token names is fetched, then decides it again.
     * Nothing more is read from the connection meanwhile (the body, if any, waits in the flow
     * control handler). Bounded by {@link #KEY_WAIT}: a fetch that hangs answers as a refusal would.
     */
    private void hold(ChannelHandlerContext ctx, HttpRequest request, PathNormalizer.Normalized normalized,
            boolean hasBody, Verdict.Pending pending) {
        ctx.channel().config().setAutoRead(false);
        pending.keyFetch().copy().orTimeout(KEY_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, failed) -> ctx.executor().execute(() -> {
                    if (!ctx.channel().isActive()) {
                        ReferenceCountUtil.release(request);
                        return;
                    }
                    decide(ctx, request, normalized, hasBody, false);
                    if (!inFlight) {
                        ctx.channel().config().setAutoRead(true); // refused: read on (the rest of its body, the next request)
                    }
                }));
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
            boolean challenge, boolean hasBody, boolean mayKeepAlive) {
        boolean keepAlive = mayKeepAlive && HttpUtil.isKeepAlive(request);
        ReferenceCountUtil.release(request);
        discarding = hasBody;
        var response = LocalResponse.of(status, keepAlive);
        if (challenge) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, INVALID_TOKEN);
        }
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Keeps what an upgrade would register; on an HTTP/2 stream, registers the stream itself at once,
     * until it closes: revoking its user resets that stream (RST_STREAM) and leaves the connection,
     * which may carry other users' streams behind a load balancer, open. Every new stream on it is
     * decided afresh.
     */
    private void remember(ChannelHandlerContext ctx, Verdict.Allow allow, String method, String path) {
        lastAllowed = allow;
        lastMethod = method;
        lastPath = path;
        if (ctx.channel() instanceof Http2StreamChannel stream && allow.subject().isPresent() && live.isPresent()) {
            live.get().register(stream, allow.subject().get(), method, path); // leaves when the stream closes
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (inFlight) {
            if (msg instanceof HttpResponse response) {
                int code = response.status().code();
                interim = code >= 100 && code < 200 && code != 101;
            }
            if (msg instanceof LastHttpContent && !interim) {
                finished();
            }
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (inFlight) {
            finished();
        }
        ctx.fireChannelInactive();
    }

    private void finished() {
        inFlight = false;
        drain.end();
    }
}
