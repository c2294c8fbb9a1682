package io.scimitar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit appender writes every line it was given, each producer's in order, and nothing is left queued at stop. */
class BatchingStdoutAppenderTest {

    private final PrintStream realOut = System.out;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final LoggerContext context = new LoggerContext();
    private BatchingStdoutAppender appender;

    @BeforeEach
    void start() {
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's own configuration does at startup
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        appender = new BatchingStdoutAppender();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setQueueSize(64); // small, so producers also wait on a full queue
        appender.start();
    }

    @AfterEach
    void restore() {
        appender.stop();
        System.setOut(realOut);
    }

    @Test
    void everyLineOfEveryProducerIsWrittenInItsOrderByStop() throws Exception {
        int producers = 4;
        int perProducer = 5_000;
        var go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < perProducer; i++) {
                    appender.doAppend(event(producer + ":" + i));
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        appender.stop();

        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(producers * perProducer);
        int[] next = new int[producers];
        for (String line : lines) {
            String[] parts = line.split(":");
            int producer = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).as("producer %d's lines in order", producer).isEqualTo(next[producer]);
            next[producer]++;
        }
    }

    @Test
    void aLineAppendedAfterAQuietSpellIsWritten() throws Exception {
        appender.doAppend(event("first"));
        appender.stop();
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("first" + System.lineSeparator());
    }

    private ILoggingEvent event(String message) {
        return new LoggingEvent(getClass().getName(), context.getLogger("scimitar.audit"), Level.INFO, message, null,
                null);
    }
}
