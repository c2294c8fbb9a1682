package io.scimitar.scim.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request: method, path without the query (filters may name people), status,
 * duration and request id. Never the body, never the Authorization header.
 */
final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final int MAX_PATH_LENGTH = 200;

    private AccessLog() {
    }

    static void log(String requestId, String method, String path, int status, long startNanos) {
        if (LOG.isInfoEnabled()) {
            long micros = (System.nanoTime() - startNanos) / 1_000;
            LOG.atInfo().setMessage("request")
                    .addKeyValue("event", "scim_request")
                    .addKeyValue("request_id", requestId)
                    .addKeyValue("method", printable(method))
                    .addKeyValue("path", printable(path))
                    .addKeyValue("status", status)
                    .addKeyValue("duration_ms", micros / 1000.0)
                    .log();
        }
    }

    /** Bounded and without control characters, so a hostile path cannot forge log lines. */
    static String printable(String value) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX_PATH_LENGTH));
        for (int i = 0; i < value.length() && i < MAX_PATH_LENGTH; i++) {
            char c = value.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
