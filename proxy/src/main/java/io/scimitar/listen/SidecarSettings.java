package io.scimitar.listen;

import io.scimitar.forward.ForwardSettings;
import java.time.Duration;
import java.util.Objects;

/** The sidecar's listener (address, request line and header bounds, idle timeout) and where it forwards to. */
public record SidecarSettings(String host, int port, int maxRequestTargetLength, int maxHeaderSize,
        Duration idleTimeout, ForwardSettings forward) {

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
    }

    /** Listens on {@code host:port} with 8 KiB targets, 16 KiB of headers and a 60 s idle timeout. */
    public static SidecarSettings listening(String host, int port, ForwardSettings forward) {
        return new SidecarSettings(host, port, PathNormalizer.DEFAULT_MAX_LENGTH, 16 * 1024, Duration.ofSeconds(60),
                forward);
    }

    public SidecarSettings withMaxHeaderSize(int bytes) {
        return new SidecarSettings(host, port, maxRequestTargetLength, bytes, idleTimeout, forward);
    }
}
