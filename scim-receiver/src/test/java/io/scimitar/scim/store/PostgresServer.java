package io.scimitar.scim.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for tests, started from the server binaries of the machine
 * (Debian's {@code postgresql} package, {@code /usr/lib/postgresql/VERSION/bin}) on a free loopback
 * port in a temporary folder. Register it on a test class
 * ({@code @RegisterExtension static final PostgresServer POSTGRES = PostgresServer.shared();}): the
 * shared cluster starts once per test run and stops at its end (and in a JVM shutdown hook, so no
 * postgres outlives the tests); every test class gets a fresh database ({@link #jdbcUrl()}), and
 * {@link #createDatabase()} makes more. {@link #ownCluster()} is a cluster of the class's own, for
 * tests that stop and restart the server. Other modules use it through scim-receiver's test-jar.
 */
public final class PostgresServer implements BeforeAllCallback {

    private static final Object SHARED_LOCK = new Object();
    private static Cluster shared;

    private final boolean own;
    private final boolean passwords;
    private Cluster cluster;
    private String jdbcUrl;

    private PostgresServer(boolean own) {
        this(own, false);
    }

    private PostgresServer(boolean own, boolean passwords) {
        this.own = own;
        this.passwords = passwords;
    }

    /** The cluster that every test class of the run shares (each with its own database). */
    public static PostgresServer shared() {
        return new PostgresServer(false);
    }

    /** A cluster for this test class alone, stopped after it: for tests that restart the server. */
    public static PostgresServer ownCluster() {
        return new PostgresServer(true);
    }

    /**
     * A cluster for this test class alone where every role but {@code postgres} logs in over TCP
     * with its password (SCRAM): for tests of credentials.
     */
    public static PostgresServer ownClusterWithPasswords() {
        return new PostgresServer(true, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (own) {
            Cluster c = Cluster.start(passwords);
            // Closed when the class's extension context closes, i.e. after its last test.
            context.getStore(ExtensionContext.Namespace.create(PostgresServer.class, context.getUniqueId()))
                    .put("cluster", c);
            cluster = c;
        } else {
            cluster = sharedCluster();
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(
                    PostgresServer.class.getName(), k -> cluster);
        }
        jdbcUrl = cluster.createDatabase();
    }

    /** The shared cluster, started on first use: for tests outside JUnit Jupiter (jqwik properties). */
    public static Cluster sharedCluster() {
        synchronized (SHARED_LOCK) {
            if (shared == null || !shared.running()) {
                shared = Cluster.start(false);
            }
            return shared;
        }
    }

    /** The JDBC URL (with the user) of this test class's database. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** A new, empty database in the same cluster; its JDBC URL. */
    public String createDatabase() {
        return cluster.createDatabase();
    }

    /** Stops the server (fast shutdown: sessions are ended, committed data stays). */
    public void stop() {
        cluster.stop();
    }

    /** Starts the stopped server again, on the same port and data. */
    public void start() {
        cluster.startServer();
    }

    /** One PostgreSQL cluster: a data folder, a port, a server process run by pg_ctl. */
    public static final class Cluster implements AutoCloseable {
        private static final AtomicInteger DATABASES = new AtomicInteger();
        private final Path folder;
        private final Path data;
        private final int port;
        private final Thread shutdownHook;
        private boolean running;

        private Cluster(Path folder, int port) {
            this.folder = folder;
            this.data = folder.resolve("data");
            this.port = port;
            this.shutdownHook = new Thread(this::stopQuietly, "postgres-test-cluster-stop");
        }

        static Cluster start(boolean passwords) {
            Path folder;
            try {
                folder = Files.createTempDirectory("scimitar-pg-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Cluster cluster = new Cluster(folder, freePort());
            if (isRoot()) {
                // The server refuses to run as root: the folder belongs to the postgres user.
                run(List.of("chown", "postgres:postgres", folder.toString()));
            }
            cluster.pg("initdb", "-D", cluster.data.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--locale=C", "--no-sync");
            if (passwords) {
                cluster.requirePasswords();
            }
            Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
            cluster.startServer();
            return cluster;
        }

        /** The test's own connections (as postgres) stay trusted; every other role gives its password. */
        private void requirePasswords() {
            try {
                Files.writeString(data.resolve("pg_hba.conf"), """
                        local all all trust
                        host all postgres 127.0.0.1/32 trust
                        host all all 127.0.0.1/32 scram-sha-256
                        """);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        synchronized boolean running() {
            return running;
        }

        /** Starts the server; waits until it accepts connections. */
        synchronized void startServer() {
            // fsync off: a test cluster need not survive a power cut, and it makes DDL and commits fast.
            pg("pg_ctl", "-D", data.toString(), "-l", folder.resolve("server.log").toString(), "-w", "-t", "60",
                    "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + folder
                            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                    "start");
            running = true;
        }

        synchronized void stop() {
            if (!running) {
                return;
            }
            pg("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
            running = false;
        }

        /** Stops the server for good and deletes its folder. */
        synchronized void destroy() {
            stop();
            deleteRecursively(folder);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // Called from the hook itself.
            }
        }

        /** JUnit closes the cluster at the end of the run (shared) or of the class (own). */
        @Override
        public void close() {
            destroy();
        }

        private void stopQuietly() {
            try {
                stop();
            } catch (RuntimeException e) {
                System.err.println("could not stop the test PostgreSQL cluster in " + folder + ": " + e.getMessage());
            }
            deleteRecursively(folder);
        }

        public int port() {
            return port;
        }

        /** A new, empty database; its JDBC URL (user postgres, no password: the cluster trusts loopback). */
        public synchronized String createDatabase() {
            String name = "scimitar_test_" + DATABASES.incrementAndGet();
            try (Connection c = DriverManager.getConnection(url("postgres"));
                 Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the test database " + name, e);
            }
            return url(name);
        }

        private String url(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
        }

        private void pg(String tool, String... args) {
            List<String> command = new ArrayList<>();
            if (isRoot()) {
                command.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            command.add(binaries().resolve(tool).toString());
            command.addAll(List.of(args));
            run(command);
        }
    }

    private static Path binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException(
                            "no PostgreSQL server in /usr/lib/postgresql/*/bin: install Debian's postgresql package"));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "no PostgreSQL server in /usr/lib/postgresql: install Debian's postgresql package", e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
