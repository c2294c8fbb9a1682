package io.scimitar.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The audit log's appender: the request path only queues the event; a writer thread encodes the
 * queued events and writes them to stdout in one write per batch. Logback's {@code AsyncAppender}
 * wakes its worker for every event, which under load is one context switch per request on the
 * event loop's core (measured: about a third of the sidecar's throughput, benchmarks/RESULTS.md).
 * Here the writer, after each batch, waits a millisecond for the next one to gather and is woken by
 * a producer only when it went to sleep on an empty queue. Nothing is dropped: when the queue is
 * full the caller waits (backpressure, not loss), and {@link #stop()} writes out what is queued.
 */
public final class BatchingStdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** How long the writer lets a batch gather after writing one, so busy periods cost ~1,000 wakeups/s at most. */
    static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private Encoder<ILoggingEvent> encoder;
    private int queueSize = 8192;
    private BlockingQueue<ILoggingEvent> queue;
    private Thread writer;
    private volatile boolean sleeping;
    private volatile boolean stopping;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder for the appender \"" + name + "\"");
            return;
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        writer = new Thread(this::drainLoop, "scimitar-audit-writer");
        writer.setDaemon(true);
        super.start();
        writer.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing();
        try {
            queue.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (sleeping) {
            LockSupport.unpark(writer);
        }
    }

    private void drainLoop() {
        List<ILoggingEvent> batch = new ArrayList<>(queueSize);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        while (true) {
            queue.drainTo(batch);
            if (batch.isEmpty()) {
                if (stopping) {
                    return;
                }
                sleeping = true;
                if (queue.isEmpty() && !stopping) { // a producer that queued before this saw sleeping=false: re-checked here
                    LockSupport.park(this);
                }
                sleeping = false;
                continue;
            }
            write(batch, bytes);
            batch.clear();
            LockSupport.parkNanos(this, GATHER_NANOS);
        }
    }

    private void write(List<ILoggingEvent> batch, ByteArrayOutputStream bytes) {
        bytes.reset();
        for (ILoggingEvent event : batch) {
            try {
                bytes.writeBytes(encoder.encode(event));
            } catch (RuntimeException e) {
                addError("could not encode an audit event", e);
            }
        }
        PrintStream out = System.out;
        out.write(bytes.toByteArray(), 0, bytes.size());
        out.flush();
    }

    /** Writes out every queued event, then stops the writer. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        stopping = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
