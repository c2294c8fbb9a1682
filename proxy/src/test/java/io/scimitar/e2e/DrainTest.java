package io.scimitar.e2e;

import io.scimitar.testing.RawClient;
import static io.scimitar.e2e.SidecarFixture.ADA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scimitar.testing.RecordingApp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM's drain through {@link io.scimitar.cli.RunningSidecar#close()}, with a request held in
 * the app: new connections are refused, new requests on open connections get 503, the request in
 * flight completes, then close returns; and a drain that runs out of time cuts what is left.
 * Each test starts its own stack, since it stops it.
 */
class DrainTest {

    @Test
    void inFlightRequestsFinishWhileNewOnesAreRefused() throws Exception {
        try (var stack = SidecarFixture.standard().start();
                RawClient held = stack.connect();
                RawClient idle = stack.connect()) {
            String token = stack.bearer(ADA);
            assertThat(idle.exchange(RawClient.get("/api/before", List.of(token))).status()).isEqualTo(200);
            RecordingApp.Hold hold = stack.app().holdNext();
            held.send(RawClient.get("/api/held", List.of(token, "X-App: hold")));
            hold.awaitArrival();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(stack.sidecar()::close);
            awaitDraining(stack);

            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), stack.port()).close())
                    .as("new connections are refused").isInstanceOf(ConnectException.class);
            var refused = idle.exchange(RawClient.get("/api/during", List.of(token)));
            assertThat(refused.status()).as("a new request on an open connection").isEqualTo(503);
            assertThat(idle.closedByServer()).isTrue();
            assertThat(closing).as("close waits for the request in flight").isNotDone();

            hold.release();

            var finished = held.read();
            assertThat(finished.status()).isEqualTo(200);
            closing.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDrainThatTimesOutCutsTheStuckRequestAndReturns() throws Exception {
        try (var stack = SidecarFixture.standard().with("SCIMITAR_DRAIN_TIMEOUT", "500ms").start();
                RawClient stuck = stack.connect()) {
            RecordingApp.Hold hold = stack.app().holdNext();
            stuck.send(RawClient.get("/api/stuck", List.of(stack.bearer(ADA), "X-App: hold")));
            hold.awaitArrival();

            long start = System.nanoTime();
            CompletableFuture.runAsync(stack.sidecar()::close).get(10, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(stuck::read).as("the stuck request was cut, not answered")
                    .isInstanceOf(IOException.class);
            hold.release();
        }
    }

    /** Readiness turns false once the drain has begun (the listener is closed by then). */
    private static void awaitDraining(SidecarFixture stack) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stack.admin("/readyz").statusCode() != 503) {
            assertThat(System.nanoTime()).as("the drain began within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
