package io.scimitar.e2e;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.scimitar.listen.AuditLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * The audit lines the sidecar writes, captured from the real {@code scimitar.audit} logger. The
 * decision is logged on the event loop before its response is written, so once a client has its
 * response the line is here.
 */
final class AuditCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    private final ConcurrentLinkedQueue<Map<String, Object>> lines = new ConcurrentLinkedQueue<>();

    AuditCapture() {
        start();
        logger.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        var fields = new LinkedHashMap<String, Object>();
        if (event.getKeyValuePairs() != null) {
            event.getKeyValuePairs().forEach(kv -> fields.put(kv.key, kv.value));
        }
        lines.add(fields);
    }

    /** Every line so far, each as its fields, in order; and forgets them. */
    List<Map<String, Object>> take() {
        var taken = new java.util.ArrayList<Map<String, Object>>();
        for (Map<String, Object> line; (line = lines.poll()) != null; ) {
            taken.add(line);
        }
        return taken;
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
