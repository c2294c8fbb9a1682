package io.scimitar.cli;

import io.scimitar.config.ConfigException;
import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import io.scimitar.config.ScimitarConfig;
import io.scimitar.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code scimitar} command line: one executable jar for every mode. Exit status 0 on success
 * (and on a requested stop), 1 on a runtime failure, 2 on a usage or configuration error.
 */
@Command(name = "scimitar",
        mixinStandardHelpOptions = true,
        versionProvider = Scimitar.VersionProvider.class,
        description = "Identity-aware sidecar for Amazon ECS, fed by SCIM 2.0.",
        footer = {"", "Every configuration key can be set by an environment variable: see docs/configuration.md."})
public final class Scimitar {

    /** Exit status of a configuration or usage error (picocli's usage errors use it too). */
    public static final int EXIT_CONFIG = 2;
    /** Exit status of a failure at run time (a port in use, an unreadable store). */
    public static final int EXIT_FAILURE = 1;
    static final String CONFIG_ENV = "SCIMITAR_CONFIG";

    private static final Logger LOG = LoggerFactory.getLogger(Scimitar.class);

    private final ProcessContext context;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "YAML configuration file (default: $" + CONFIG_ENV + ", else defaults and environment only).")
    private String configFile;

    Scimitar(ProcessContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    public static void main(String[] args) {
        System.exit(commandLine(ProcessContext.system()).execute(args));
    }

    /** The command line with its subcommands, ready to {@link CommandLine#execute execute}. */
    public static CommandLine commandLine(ProcessContext context) {
        Scimitar scimitar = new Scimitar(context);
        CommandLine cmd = new CommandLine(scimitar)
                .addSubcommand(new ReceiverCommand(scimitar))
                .addSubcommand(new DemoCommand(scimitar))
                .addSubcommand(new ProxyCommand(scimitar))
                .addSubcommand(new VersionCommand())
                .addSubcommand(new CheckConfigCommand(scimitar));
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof ConfigException) {
                err.println("scimitar: config error: " + e.getMessage());
                err.flush();
                return EXIT_CONFIG;
            }
            LOG.atDebug().setMessage("command failed").addKeyValue("event", "command_failed").setCause(e).log();
            err.println("scimitar: error: " + oneLine(e));
            err.flush();
            return EXIT_FAILURE;
        });
        return cmd;
    }

    /** The configuration file: {@code --config}, else {@code $SCIMITAR_CONFIG}, else none. */
    Optional<Path> configFile() {
        String name = configFile != null ? configFile : context.env().get(CONFIG_ENV);
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(name));
        } catch (InvalidPathException e) {
            throw new ConfigException("--config (" + CONFIG_ENV + ") = \"" + name + "\": expected a file path");
        }
    }

    /** Loads and validates the configuration for {@code profile}. */
    ScimitarConfig loadConfig(Profile profile) {
        return loadConfig(profile, Map.of());
    }

    /** Loads the configuration with {@code fixed} environment variables taking precedence over the process's. */
    ScimitarConfig loadConfig(Profile profile, Map<String, String> fixed) {
        Map<String, String> env = new HashMap<>(context.env());
        env.putAll(fixed);
        return new ConfigLoader(env).load(configFile(), profile);
    }

    /** Starts a sidecar from {@code config}. */
    RunningSidecar startSidecar(ScimitarConfig config, List<Secret> extraTokens) {
        return new SidecarLauncher(context.directories()).start(config, extraTokens);
    }

    /** Starts the receiver and serves until the process is asked to stop; see {@link #serve(Service, PrintWriter, Consumer)}. */
    int serve(ScimitarConfig config, List<Secret> extraTokens, PrintWriter out, Consumer<RunningReceiver> banner)
            throws InterruptedException {
        return serve(() -> new ReceiverLauncher(context.directories()).start(config, extraTokens), out, banner);
    }

    /** Starts the sidecar (with its embedded receiver) and serves until the process is asked to stop. */
    int serveSidecar(ScimitarConfig config, PrintWriter out) throws InterruptedException {
        return serve(() -> startSidecar(config, List.of()), out, running -> { });
    }

    /**
     * Starts a service, prints {@code banner} and then its ready line on {@code out}, and serves
     * until the process is asked to stop; then closes it (which drains it first).
     */
    <T extends Service> int serve(Supplier<T> start, PrintWriter out, Consumer<T> banner)
            throws InterruptedException {
        T running = start.get();
        try {
            banner.accept(running);
            out.println(running.readyLine());
            out.flush();
            context.stop().awaitThen(running::close);
        } catch (InterruptedException | RuntimeException e) {
            running.close();
            throw e;
        }
        return 0;
    }

    /** A started long-running service: the line that says it is ready, and how it stops. */
    interface Service extends AutoCloseable {
        String readyLine();

        @Override
        void close();
    }

    /** An exception as one line: its message and the innermost cause's, without a stack trace. */
    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (root != e) {
            String cause = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
            if (!message.contains(cause)) {
                message = message + ": " + cause;
            }
        }
        return message.lines().findFirst().orElse(message);
    }

    /** The build's version, from a resource Maven fills in. */
    static String version() {
        try (InputStream in = Scimitar.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** {@code scimitar --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {VersionCommand.line()};
        }
    }
}
