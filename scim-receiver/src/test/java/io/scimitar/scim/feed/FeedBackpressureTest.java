package io.scimitar.scim.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.scim.store.Directory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A follower that stops reading is disconnected once its backlog passes the bound, instead of being buffered for. */
class FeedBackpressureTest {

    @Test
    void aClientThatDoesNotReadIsDisconnected() throws IOException {
        try (FeedFixture receiver = FeedFixture.start(b -> b.maxPendingLines(20));
             Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), receiver.server.port()));
            socket.getOutputStream().write(("GET /feed/v1/changes?after=0 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + FeedFixture.FEED_TOKEN + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(10_000);
            byte[] head = in.readNBytes(12);
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
            // 100 KiB per change: socket buffers fill after a few MiB, then 20 lines more close the stream.
            String title = "t".repeat(100 * 1024);
            for (int i = 0; i < 150; i++) {
                receiver.directory.createUser(Directory.object("""
                        {"schemas":["%s"],"userName":"bulky%d","title":"%s"}""".formatted(Directory.USER_SCHEMA, i, title)));
            }
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            in.transferTo(rest); // returns at end of stream: the receiver closed the connection
            String tail = rest.toString(StandardCharsets.ISO_8859_1);
            assertThat(tail).doesNotEndWith("0\r\n\r\n"); // cut, not ended: the client resumes from its last version
            assertThat(rest.size()).isLessThan(150 * 100 * 1024);
        }
    }
}
