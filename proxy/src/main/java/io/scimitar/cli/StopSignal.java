package io.scimitar.cli;

import ch.qos.logback.classic.LoggerContext;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a long-running command learns that the process must stop. */
@FunctionalInterface
public interface StopSignal {

    /** Blocks until the process is asked to stop, then runs {@code shutdown}. */
    void awaitThen(Runnable shutdown) throws InterruptedException;

    /**
     * SIGTERM or SIGINT, through a JVM shutdown hook. The hook runs {@code shutdown} and then ends
     * the process with status 0: a requested stop (ECS stopping a task) is a success, not the
     * JVM's default 143.
     */
    static StopSignal shutdownHook() {
        return shutdown -> {
            Logger log = LoggerFactory.getLogger(StopSignal.class);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                int status = 0;
                try {
                    log.atInfo().setMessage("shutdown requested").addKeyValue("event", "shutdown_requested").log();
                    shutdown.run();
                    log.atInfo().setMessage("shutdown complete").addKeyValue("event", "shutdown_complete").log();
                } catch (RuntimeException e) {
                    log.atError().setMessage("shutdown failed").addKeyValue("event", "shutdown_failed").setCause(e).log();
                    status = 1;
                }
                // Stopping logback drains its asynchronous appenders: the last audit lines are written, not lost.
                if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
                    logback.stop();
                }
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(status);
            }, "scimitar-shutdown"));
            // The hook ends the process; this thread only has to stay out of the way until then.
            new CountDownLatch(1).await();
        };
    }
}
