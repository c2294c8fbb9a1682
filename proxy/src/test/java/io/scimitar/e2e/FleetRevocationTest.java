package io.scimitar.e2e;

import static io.scimitar.e2e.FleetSidecars.SCIM_TOKEN;

import io.scimitar.authn.Tokens;
import io.scimitar.cli.RunningReceiver;
import io.scimitar.cli.RunningSidecar;
import io.scimitar.scim.store.PostgresServer;
import io.scimitar.scim.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet, for real: two receivers on one PostgreSQL database, ten sidecars in feed mode
 * following them (each sidecar given both receivers), users provisioned over SCIM. A user allowed
 * everywhere is deactivated through receiver A and every sidecar then denies them; with receiver
 * A gone, the sidecars move to B and a change made through B still reaches all of them. The
 * bound is generous; the time to the last deny is measured in benchmarks/.
 */
class FleetRevocationTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = PostgresServer.shared();

    private static final int SIDECARS = 10;
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<RunningSidecar> sidecars = new ArrayList<>();
    private FleetSidecars fleet;
    private RunningReceiver receiverA;
    private RunningReceiver receiverB;

    @BeforeEach
    void start() throws Exception {
        fleet = new FleetSidecars(dir);
        String store = POSTGRES.createDatabase();
        receiverA = FleetSidecars.receiver(store, "127.0.0.1:0");
        receiverB = FleetSidecars.receiver(store, "127.0.0.1:0");
        List<String> urls = List.of(receiverA.feedUrl(), receiverB.feedUrl());
        for (int i = 0; i < SIDECARS; i++) {
            sidecars.add(fleet.start(urls, Map.of()));
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {fleet, receiverB, receiverA}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void aUserDeactivatedThroughOneReceiverIsDeniedByEverySidecar() throws Exception {
        var scim = new ScimClient(receiverA.scimUrl(), SCIM_TOKEN);
        String ada = scim.createUser(Tokens.EMAIL, Tokens.EMAIL);
        scim.createGroup("eng", ada);
        String request = fleet.request(Tokens.EMAIL);
        awaitEverySidecar(request, 200);

        scim.deactivate(ada);

        awaitEverySidecar(request, 403);
    }

    @Test
    void withOneReceiverGoneTheSidecarsFollowTheOtherAndMissNothing() throws Exception {
        var scimA = new ScimClient(receiverA.scimUrl(), SCIM_TOKEN);
        String ada = scimA.createUser(Tokens.EMAIL, Tokens.EMAIL);
        String eng = scimA.createGroup("eng", ada);
        String request = fleet.request(Tokens.EMAIL);
        awaitEverySidecar(request, 200);

        receiverA.close(); // its feed streams end; each sidecar moves on to B and resumes
        receiverA = null;
        new ScimClient(receiverB.scimUrl(), SCIM_TOKEN).removeMember(eng, ada);

        awaitEverySidecar(request, 403);
    }

    /** Waits, bounded, until every sidecar answers {@code request} with {@code status}. */
    private void awaitEverySidecar(String request, int status) {
        for (RunningSidecar sidecar : sidecars) {
            Await.until(BOUND, () -> FleetSidecars.answer(sidecar, request) == status,
                    () -> "sidecar on port " + sidecar.port() + " still answers "
                            + FleetSidecars.answer(sidecar, request) + ", not " + status);
        }
    }
}
