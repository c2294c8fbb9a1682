package io.scimitar.cli;

import io.scimitar.admin.AdminServer;
import io.scimitar.config.SidecarConfig;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.listen.SidecarServer;
import java.net.URI;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started sidecar, with its embedded receiver or following receivers over the feed. Closing
 * drains the listener, then stops everything in reverse order (the feed client included).
 */
public final class RunningSidecar implements Scimitar.Service {

    private static final Logger LOG = LoggerFactory.getLogger(RunningSidecar.class);

    private final Optional<RunningReceiver> receiver;
    private final List<URI> feedUrls;
    private final DirectoryIndex directory;
    private final SidecarServer server;
    private final AdminServer admin;
    private final SidecarConfig config;
    private final Deque<AutoCloseable> started;
    private boolean closed;

    RunningSidecar(Optional<RunningReceiver> receiver, List<URI> feedUrls, DirectoryIndex directory,
            SidecarServer server, AdminServer admin, SidecarConfig config, Deque<AutoCloseable> started) {
        this.receiver = receiver;
        this.feedUrls = List.copyOf(feedUrls);
        this.directory = directory;
        this.server = server;
        this.admin = admin;
        this.config = config;
        this.started = started;
    }

    /**
     * The directory this sidecar decides from (the embedded receiver's, or the one the feed keeps),
     * for tools that watch it change, such as the revocation benchmark.
     */
    public DirectoryIndex directory() {
        return directory;
    }

    /** The sidecar listener's port. */
    public int port() {
        return server.port();
    }

    /** The admin listener's port. */
    public int adminPort() {
        return admin.port();
    }

    /** The embedded SCIM receiver; empty in feed mode. */
    public Optional<RunningReceiver> receiver() {
        return receiver;
    }

    /** The sidecar's local URL, as a person on this machine would call it. */
    public String url() {
        return "http://" + config.listen().localUrlHost() + ":" + port();
    }

    /** The admin listener's local URL. */
    public String adminUrl() {
        return "http://" + config.adminListen().localUrlHost() + ":" + adminPort();
    }

    /** The one line printed on stdout once the sidecar takes traffic. */
    public String readyLine() {
        return "scimitar sidecar ready: listening at " + url() + ", forwarding to " + config.upstream().orElseThrow()
                + ", admin at " + adminUrl() + receiver.map(r -> ", SCIM at " + r.scimUrl())
                .orElseGet(() -> ", directory from the feed at " + String.join(", ", feedUrls.stream().map(URI::toString).toList()));
    }

    /**
     * SIGTERM: stop accepting, let in-flight requests finish within the drain timeout (new ones get
     * 503 and readiness turns false meanwhile), then stop the admin listener, the index, the
     * receiver or the feed client, and the rest.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        int cut = server.drain(config.drainTimeout());
        if (cut > 0) {
            LOG.atWarn().setMessage("requests still in flight at the end of the drain were cut off")
                    .addKeyValue("event", "sidecar_drain_cut").addKeyValue("in_flight", cut).log();
        }
        RuntimeException failure = new IllegalStateException("the sidecar did not stop cleanly");
        SidecarLauncher.closeAll(started, failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }
}
