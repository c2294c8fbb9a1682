package io.scimitar.listen;

import io.scimitar.authz.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per decision on stdout, through the {@code scimitar.audit} logger (an asynchronous
 * appender in logback.xml, so the event loop hands the line over and does not wait for the write).
 * The reason a request was refused is here and in the metrics, never in the response.
 */
public final class AuditLog {

    /** The logger name the audit lines are written under; logback.xml routes it to stdout. */
    public static final String LOGGER = "scimitar.audit";

    private final Logger log;

    public AuditLog() {
        this(LoggerFactory.getLogger(LOGGER));
    }

    AuditLog(Logger log) {
        this.log = log;
    }

    /** Writes the line for one decision; does nothing when the audit logger is switched off. */
    public void record(Decision decision, String method, String normalizedPath) {
        if (!log.isInfoEnabled()) {
            return;
        }
        var line = log.atInfo().setMessage("decision")
                .addKeyValue("event", "decision")
                .addKeyValue("outcome", decision.allowed() ? "allow" : "deny")
                .addKeyValue("reason", decision.reason().code())
                .addKeyValue("method", method)
                .addKeyValue("path", normalizedPath)
                .addKeyValue("directory_version", decision.directoryVersion());
        decision.user().ifPresent(user -> line.addKeyValue("user_id", user.id()).addKeyValue("user", user.userName()));
        decision.route().ifPresent(route -> line.addKeyValue("route", route.pattern())
                .addKeyValue("route_line", route.line()));
        line.log();
    }
}
