package io.scimitar.listen;

import io.scimitar.forward.ForwardSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The sidecar's listener (address, request line and header bounds, idle timeout, TLS and HTTP/2)
 * and where it forwards to. With {@code tls} the listener speaks TLS and lets ALPN choose h2 or
 * http/1.1; without it, cleartext HTTP/1.1 and, when {@code h2c}, cleartext HTTP/2 too.
 */
public record SidecarSettings(String host, int port, int maxRequestTargetLength, int maxHeaderSize,
        Duration idleTimeout, ForwardSettings forward, Optional<ListenerTls> tls, boolean h2c) {

    public SidecarSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: expected 0..65535, got " + port);
        }
        if (maxRequestTargetLength < 1) {
            throw new IllegalArgumentException("maxRequestTargetLength: expected at least 1, got " + maxRequestTargetLength);
        }
        if (maxHeaderSize < 1) {
            throw new IllegalArgumentException("maxHeaderSize: expected at least 1, got " + maxHeaderSize);
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: expected a positive duration, got " + idleTimeout);
        }
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(tls, "tls");
    }

    /** A cleartext listener that also accepts h2c. */
    public SidecarSettings(String host, int port, int maxRequestTargetLength, int maxHeaderSize,
            Duration idleTimeout, ForwardSettings forward) {
        this(host, port, maxRequestTargetLength, maxHeaderSize, idleTimeout, forward, Optional.empty(), true);
    }

    /** Listens on {@code host:port} with 8 KiB targets, 16 KiB of headers, a 60 s idle timeout, cleartext with h2c. */
    public static SidecarSettings listening(String host, int port, ForwardSettings forward) {
        return new SidecarSettings(host, port, PathNormalizer.DEFAULT_MAX_LENGTH, 16 * 1024, Duration.ofSeconds(60),
                forward);
    }

    public SidecarSettings withMaxHeaderSize(int bytes) {
        return new SidecarSettings(host, port, maxRequestTargetLength, bytes, idleTimeout, forward, tls, h2c);
    }

    /** Serves TLS with the PEM certificate chain (leaf first) and PKCS#8 PEM private key; ALPN offers h2 and http/1.1. */
    public SidecarSettings withTls(Path certificateChain, Path privateKey) {
        return new SidecarSettings(host, port, maxRequestTargetLength, maxHeaderSize, idleTimeout, forward,
                Optional.of(new ListenerTls(certificateChain, privateKey)), h2c);
    }

    /** Whether a cleartext listener also accepts HTTP/2 (prior knowledge or {@code Upgrade: h2c}); ignored with TLS. */
    public SidecarSettings withH2c(boolean enabled) {
        return new SidecarSettings(host, port, maxRequestTargetLength, maxHeaderSize, idleTimeout, forward, tls,
                enabled);
    }
}
