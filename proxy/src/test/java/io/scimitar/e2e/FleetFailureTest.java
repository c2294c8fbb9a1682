package io.scimitar.e2e;

import static io.scimitar.e2e.FleetSidecars.FEED_TOKEN;
import static io.scimitar.e2e.FleetSidecars.SCIM_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.cli.ReceiverProcess;
import io.scimitar.cli.RunningReceiver;
import io.scimitar.cli.RunningSidecar;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.scim.store.PostgresServer;
import io.scimitar.scim.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's failure cases on one real PostgreSQL: a receiver killed mid-stream (SIGKILL, no
 * goodbye) while sidecars follow it, after which they follow the other receiver and hold exactly
 * its directory, each change applied once; and a sidecar cut off from every receiver past its
 * staleness bound, which fails closed and recovers once a receiver is back at its URL.
 */
class FleetFailureTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    private static final int SIDECARS = 5;
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<AutoCloseable> receivers = new ArrayList<>();
    private FleetSidecars fleet;
    private Process killable;

    @BeforeEach
    void start() throws Exception {
        fleet = new FleetSidecars(dir);
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
        for (AutoCloseable receiver : receivers.reversed()) {
            receiver.close();
        }
        if (killable != null) {
            killable.destroyForcibly();
            assertThat(killable.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aReceiverKilledMidStreamLeavesEverySidecarWithExactlyTheOtherReceiversDirectory() throws Exception {
        String store = POSTGRES.createDatabase();
        ReceiverProcess a = ReceiverProcess.start(Map.of("SCIMITAR_STORE", store, "SCIMITAR_SCIM_TOKEN", SCIM_TOKEN,
                "SCIMITAR_FEED_TOKEN", FEED_TOKEN), ProcessBuilder.Redirect.DISCARD);
        killable = a.process();
        RunningReceiver b = track(FleetSidecars.receiver(store, "127.0.0.1:0"));
        List<String> urls = List.of(FleetSidecars.base(a.url()), b.feedUrl());
        List<List<String>> applied = new ArrayList<>();
        List<RunningSidecar> sidecars = fleet.startRecording(urls, SIDECARS, applied);
        for (RunningSidecar sidecar : sidecars) {
            Await.until(BOUND, () -> fleet.readyz(sidecar).statusCode() == 200, () -> fleet.readyz(sidecar).body());
        }

        // Through A, while every sidecar follows A's change stream: versions 1 to 3.
        var scimA = new ScimClient(a.url(), SCIM_TOKEN);
        String ada = scimA.createUser("ada@example.com", "ada@example.com");
        String linus = scimA.createUser("linus@example.com", "linus@example.com");
        String eng = scimA.createGroup("eng", ada, linus);
        FleetSidecars.awaitVersion(sidecars, 3, BOUND);

        a.process().destroyForcibly(); // SIGKILL: no drain, the kernel resets its connections
        assertThat(a.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

        // Through B only: versions 4 to 6.
        var scimB = new ScimClient(b.scimUrl(), SCIM_TOKEN);
        String grace = scimB.createUser("grace@example.com", "grace@example.com");
        scimB.addMember(eng, grace);
        scimB.deactivate(linus);
        FleetSidecars.awaitVersion(sidecars, 6, BOUND);

        DirectoryIndex ofB = b.followIndex(sidecars.getFirst().directory().current().userKey());
        try {
            List<String> expected = FleetSidecars.contents(ofB.current());
            assertThat(expected.getFirst()).isEqualTo("version 6");
            assertThat(expected).contains("user " + linus + " linus@example.com active=false groups=[eng]",
                    "user " + grace + " grace@example.com active=true groups=[eng]");
            for (int i = 0; i < SIDECARS; i++) {
                RunningSidecar sidecar = sidecars.get(i);
                assertThat(FleetSidecars.contents(sidecar.directory().current())).as("sidecar %d", i)
                        .isEqualTo(expected);
                FleetSidecars.assertEachChangeOnce(applied.get(i), 6, i);
                assertThat(FleetSidecars.answer(sidecar, fleet.request("grace@example.com"))).isEqualTo(200);
                assertThat(FleetSidecars.answer(sidecar, fleet.request("linus@example.com"))).isEqualTo(403);
            }
        } finally {
            ofB.close();
        }
    }

    @Test
    void aSidecarCutOffPastTheStalenessBoundFailsClosedThenRecoversWhenAReceiverIsBack() throws Exception {
        String store = POSTGRES.createDatabase();
        String listen = "127.0.0.1:" + FleetSidecars.freePort();
        RunningReceiver first = track(FleetSidecars.receiver(store, listen));
        // Above the receivers' 5 s heartbeat interval, so a quiet but live feed stays fresh.
        RunningSidecar sidecar = fleet.start(List.of(first.feedUrl()),
                Map.of("SCIMITAR_FEED_MAX_STALENESS", "6s"));
        var scim = new ScimClient(first.scimUrl(), SCIM_TOKEN);
        String ada = scim.createUser("ada@example.com", "ada@example.com");
        scim.createGroup("eng", ada);
        String request = fleet.request("ada@example.com");
        Await.until(BOUND, () -> FleetSidecars.answer(sidecar, request) == 200,
                () -> "ada is not allowed yet; /readyz: " + fleet.readyz(sidecar).body());

        first.close(); // the only receiver it knows
        try (AuditCapture audit = new AuditCapture()) {
            Await.until(BOUND, () -> fleet.readyz(sidecar).statusCode() == 503,
                    () -> "still ready: " + fleet.readyz(sidecar).body());
            assertThat(fleet.readyz(sidecar).body()).contains("\"directory\":false");
            audit.take();
            assertThat(FleetSidecars.answer(sidecar, request)).isEqualTo(503);
            assertThat(audit.take()).extracting(line -> line.get("path") + " " + line.get("reason"))
                    .containsExactly("/api/things stale_directory");
        }

        RunningReceiver second = track(FleetSidecars.receiver(store, listen)); // back at the same URL
        assertThat(second.scimUrl()).isEqualTo(first.scimUrl());
        Await.until(BOUND, () -> FleetSidecars.answer(sidecar, request) == 200,
                () -> "not recovered; /readyz: " + fleet.readyz(sidecar).body());
        assertThat(fleet.readyz(sidecar).statusCode()).isEqualTo(200);
        assertThat(sidecar.directory().current().version()).isEqualTo(2);
    }

    private RunningReceiver track(RunningReceiver receiver) {
        receivers.add(receiver);
        return receiver;
    }
}
