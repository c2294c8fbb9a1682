package io.scimitar.listen;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The listener's TLS material: a PEM certificate chain, leaf first, and its PEM private key in
 * PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code openssl genpkey} writes).
 */
public record ListenerTls(Path certificateChain, Path privateKey) {

    public ListenerTls {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /**
     * A server context on the JDK's TLS that offers h2 then http/1.1 through ALPN, with the cipher
     * suites HTTP/2 allows (RFC 9113 §9.2.2). Fails naming the file that could not be read or used.
     */
    SslContext newServerContext() {
        readable("certificate chain", certificateChain);
        readable("private key", privateKey);
        try {
            return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                    .sslProvider(SslProvider.JDK)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot use the TLS certificate chain " + certificateChain
                    + " with the private key " + privateKey + " (expected PEM, the key unencrypted PKCS#8): "
                    + e.getMessage(), e);
        }
    }

    private static void readable(String what, Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("the TLS " + what + " " + file + " does not exist or cannot be read");
        }
    }
}
