package io.scimitar.e2e;

import static io.scimitar.e2e.FleetSidecars.SCIM_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.cli.RunningReceiver;
import io.scimitar.cli.RunningSidecar;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.scim.store.PostgresServer;
import io.scimitar.scim.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarted under a running fleet (a cluster of this class's own): while it is down the
 * sidecars keep deciding from the version they hold; once it is back the receivers recover, and
 * every sidecar gets the change made just before the stop and the one made after the start, each
 * exactly once and in order.
 */
class PostgresRestartTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.ownCluster();

    private static final int SIDECARS = 3;
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** Longer than the receivers' 5 s heartbeat interval: the feed must stay alive, not merely not yet time out. */
    private static final Duration DOWN = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    private FleetSidecars fleet;
    private RunningReceiver a;
    private RunningReceiver b;
    private boolean down;

    @AfterEach
    void stop() {
        if (down) { // the test failed while the server was stopped
            POSTGRES.start();
        }
        if (fleet != null) {
            fleet.close();
        }
        for (RunningReceiver receiver : new RunningReceiver[] {b, a}) {
            if (receiver != null) {
                receiver.close();
            }
        }
    }

    @Test
    void sidecarsDecideThroughARestartAndThenGetEveryChangeExactlyOnceInOrder() throws Exception {
        fleet = new FleetSidecars(dir);
        a = FleetSidecars.receiver(POSTGRES.jdbcUrl(), "127.0.0.1:0");
        b = FleetSidecars.receiver(POSTGRES.jdbcUrl(), "127.0.0.1:0");
        List<String> urls = List.of(a.feedUrl(), b.feedUrl());
        List<List<String>> applied = new ArrayList<>();
        List<RunningSidecar> sidecars = fleet.startRecording(urls, SIDECARS, applied);
        var scimA = new ScimClient(a.scimUrl(), SCIM_TOKEN);
        String ada = scimA.createUser("ada@example.com", "ada@example.com");
        String linus = scimA.createUser("linus@example.com", "linus@example.com");
        String eng = scimA.createGroup("eng", ada, linus);
        FleetSidecars.awaitVersion(sidecars, 3, BOUND);
        String adaAsks = fleet.request("ada@example.com");
        String linusAsks = fleet.request("linus@example.com");

        new ScimClient(b.scimUrl(), SCIM_TOKEN).deactivate(linus); // version 4, committed just before the stop
        POSTGRES.stop();
        down = true;

        long until = System.nanoTime() + DOWN.toNanos();
        while (System.nanoTime() < until) {
            for (RunningSidecar sidecar : sidecars) {
                assertThat(fleet.readyz(sidecar).statusCode()).as("readiness with PostgreSQL down").isEqualTo(200);
                assertThat(FleetSidecars.answer(sidecar, adaAsks)).as("ada with PostgreSQL down").isEqualTo(200);
                assertThat(sidecar.directory().current().version()).isBetween(3L, 4L);
            }
            Thread.onSpinWait();
        }

        POSTGRES.start();
        down = false;
        String grace = scimA.createUser("grace@example.com", "grace@example.com"); // version 5, through the other receiver
        scimA.addMember(eng, grace); // version 6
        FleetSidecars.awaitVersion(sidecars, 6, BOUND);

        DirectoryIndex ofB = b.followIndex(sidecars.getFirst().directory().current().userKey());
        try {
            // B learns of A's writes once its LISTEN connection is back, or at its next poll.
            Await.until(BOUND, () -> ofB.current().version() >= 6, () -> "receiver B is at " + ofB.current());
            List<String> expected = FleetSidecars.contents(ofB.current());
            assertThat(expected).startsWith("version 6").contains(
                    "user " + linus + " linus@example.com active=false groups=[eng]",
                    "user " + grace + " grace@example.com active=true groups=[eng]");
            String graceAsks = fleet.request("grace@example.com");
            for (int i = 0; i < SIDECARS; i++) {
                RunningSidecar sidecar = sidecars.get(i);
                assertThat(FleetSidecars.contents(sidecar.directory().current())).as("sidecar %d", i)
                        .isEqualTo(expected);
                FleetSidecars.assertEachChangeOnce(applied.get(i), 6, i);
                assertThat(FleetSidecars.answer(sidecar, linusAsks)).isEqualTo(403);
                assertThat(FleetSidecars.answer(sidecar, graceAsks)).isEqualTo(200);
            }
        } finally {
            ofB.close();
        }
    }
}
