package io.scimitar.forward;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how requests go upstream: the app's loopback address, the timeouts, the request body
 * bound and how many idle keep-alive connections each event loop keeps.
 */
public record ForwardSettings(String host, int port, Duration connectTimeout, Duration responseHeaderTimeout,
        Duration idleTimeout, long maxBodyBytes, int maxIdlePerLoop) {

    public ForwardSettings {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: expected 1..65535, got " + port);
        }
        positive("connectTimeout", connectTimeout);
        positive("responseHeaderTimeout", responseHeaderTimeout);
        positive("idleTimeout", idleTimeout);
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes: expected at least 0, got " + maxBodyBytes);
        }
        if (maxIdlePerLoop < 0) {
            throw new IllegalArgumentException("maxIdlePerLoop: expected at least 0, got " + maxIdlePerLoop);
        }
    }

    /** The app on {@code 127.0.0.1:port} with the defaults: 2 s connect, 60 s headers, 60 s idle, 10 MiB, 64 idle. */
    public static ForwardSettings toLoopback(int port) {
        return new ForwardSettings("127.0.0.1", port, Duration.ofSeconds(2), Duration.ofSeconds(60),
                Duration.ofSeconds(60), 10L * 1024 * 1024, 64);
    }

    public ForwardSettings withConnectTimeout(Duration timeout) {
        return new ForwardSettings(host, port, timeout, responseHeaderTimeout, idleTimeout, maxBodyBytes, maxIdlePerLoop);
    }

    public ForwardSettings withResponseHeaderTimeout(Duration timeout) {
        return new ForwardSettings(host, port, connectTimeout, timeout, idleTimeout, maxBodyBytes, maxIdlePerLoop);
    }

    public ForwardSettings withMaxBodyBytes(long bytes) {
        return new ForwardSettings(host, port, connectTimeout, responseHeaderTimeout, idleTimeout, bytes, maxIdlePerLoop);
    }

    private static void positive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + ": expected a positive duration, got " + value);
        }
    }
}
