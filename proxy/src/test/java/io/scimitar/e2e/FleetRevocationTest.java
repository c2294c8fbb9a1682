package io.scimitar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import io.scimitar.authn.KeyServer;
import io.scimitar.authn.Tokens;
import io.scimitar.cli.ReceiverLauncher;
import io.scimitar.cli.RunningReceiver;
import io.scimitar.cli.RunningSidecar;
import io.scimitar.cli.SidecarLauncher;
import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import io.scimitar.scim.store.PostgresServer;
import io.scimitar.testing.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private static final String SCIM_TOKEN = "fleet-scim-token-0123456789abcdef";
    private static final String FEED_TOKEN = "fleet-feed-token-0123456789abcdef";
    private static final int SIDECARS = 10;
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final RSAKey key = Tokens.rsa("fleet-key");
    private final List<RunningSidecar> sidecars = new ArrayList<>();
    private RecordingApp app;
    private KeyServer idp;
    private RunningReceiver receiverA;
    private RunningReceiver receiverB;

    @BeforeEach
    void start() throws Exception {
        app = new RecordingApp();
        idp = new KeyServer();
        idp.publish(List.of(key));
        String store = POSTGRES.createDatabase();
        var receivers = new ReceiverLauncher(ReceiverLauncher::openJdbc);
        var receiverConfig = new ConfigLoader(Map.of("SCIMITAR_SCIM_LISTEN", "127.0.0.1:0",
                "SCIMITAR_SCIM_TOKEN", SCIM_TOKEN, "SCIMITAR_FEED_TOKEN", FEED_TOKEN, "SCIMITAR_STORE", store))
                .load(Optional.empty(), Profile.RECEIVER);
        receiverA = receivers.start(receiverConfig, List.of());
        receiverB = receivers.start(receiverConfig, List.of());

        Path policy = Files.writeString(dir.resolve("policy.yaml"), SidecarFixture.POLICY);
        var env = new HashMap<String, String>();
        env.put("SCIMITAR_LISTEN", "127.0.0.1:0");
        env.put("SCIMITAR_ADMIN_LISTEN", "127.0.0.1:0");
        env.put("SCIMITAR_UPSTREAM", "http://127.0.0.1:" + app.port());
        env.put("SCIMITAR_POLICY", policy.toString());
        env.put("SCIMITAR_AUTH_JWKS_URL", idp.jwksUrl().toString());
        env.put("SCIMITAR_AUTH_ISSUER", Tokens.ISSUER);
        env.put("SCIMITAR_AUTH_AUDIENCE", Tokens.AUDIENCE);
        env.put("SCIMITAR_FEED_URLS", FleetSidecars.base(receiverA.scimUrl()) + "," + FleetSidecars.base(receiverB.scimUrl()));
        env.put("SCIMITAR_FEED_TOKEN", FEED_TOKEN);
        var sidecarConfig = new ConfigLoader(env).load(Optional.empty(), Profile.PROXY);
        var launcher = new SidecarLauncher(ReceiverLauncher::openJdbc);
        for (int i = 0; i < SIDECARS; i++) {
            sidecars.add(launcher.start(sidecarConfig, List.of()));
        }
    }

    @AfterEach
    void stop() throws Exception {
        sidecars.forEach(RunningSidecar::close);
        for (AutoCloseable closeable : new AutoCloseable[] {receiverB, receiverA, idp, app}) {
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
        String request = request();
        awaitEverySidecar(request, 200);

        scim.deactivate(ada);

        awaitEverySidecar(request, 403);
    }

    @Test
    void withOneReceiverGoneTheSidecarsFollowTheOtherAndMissNothing() throws Exception {
        var scimA = new ScimClient(receiverA.scimUrl(), SCIM_TOKEN);
        String ada = scimA.createUser(Tokens.EMAIL, Tokens.EMAIL);
        String eng = scimA.createGroup("eng", ada);
        String request = request();
        awaitEverySidecar(request, 200);

        receiverA.close(); // its feed streams end; each sidecar moves on to B and resumes
        receiverA = null;
        new ScimClient(receiverB.scimUrl(), SCIM_TOKEN).removeMember(eng, ada);

        awaitEverySidecar(request, 403);
    }

    private String request() {
        String token = Tokens.sign(key, Tokens.claims(Instant.now()).build());
        return RawClient.get("/api/things", List.of("Authorization: Bearer " + token));
    }

    /** Waits, bounded, until every sidecar answers {@code request} with {@code status}. */
    private void awaitEverySidecar(String request, int status) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        for (RunningSidecar sidecar : sidecars) {
            int last;
            while ((last = answer(sidecar, request)) != status) {
                assertThat(System.nanoTime()).as("sidecar on port %d still answers %d after %s", sidecar.port(), last,
                        BOUND).isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
    }

    private static int answer(RunningSidecar sidecar, String request) throws Exception {
        try (var client = new RawClient(sidecar.port())) {
            return client.exchange(request).status();
        }
    }
}
