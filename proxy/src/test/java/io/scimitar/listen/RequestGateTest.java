package io.scimitar.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gate on Netty's own HTTP codec, in an embedded channel: what it does with what the codec hands it. */
class RequestGateTest {

    @Test
    void anUnparseableRequestIsAnswered400AndReleasedOnce() {
        var server = new EmbeddedChannel(new HttpServerCodec(),
                new RequestGate(new PathNormalizer(),
                        (request, path) -> Verdict.deny(Verdict.Denial.FORBIDDEN), new Drain(), Optional.empty()));

        // An HTTP/2 client's preface sent to an HTTP/1.1 listener (what h2load does to probe for h2c):
        // the codec answers its second part with a failed FullHttpRequest, which must be released
        // exactly once (a double release threw IllegalReferenceCountException in a load-test profile).
        server.writeInbound(Unpooled.copiedBuffer("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", StandardCharsets.US_ASCII));

        server.checkException();
        var client = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1024));
        Object outbound;
        while ((outbound = server.readOutbound()) != null) {
            client.writeInbound(outbound);
        }
        HttpResponse first = client.readInbound();
        assertThat(first.status().code()).isEqualTo(400);
        assertThat(server.isOpen()).isFalse();
        client.finishAndReleaseAll();
    }
}
