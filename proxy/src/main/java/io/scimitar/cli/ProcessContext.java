package io.scimitar.cli;

import java.util.Map;
import java.util.Objects;

/**
 * What the commands take from the process they run in, injected so tests can run them in one JVM.
 *
 * @param env         the environment variables
 * @param stop        how a running receiver learns it must stop
 * @param directories how the directory (store and service) is opened
 */
public record ProcessContext(Map<String, String> env, StopSignal stop, DirectoryOpener directories) {

    public ProcessContext {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(directories, "directories");
    }

    /** The real process: its environment, its shutdown hook and the JDBC store. */
    public static ProcessContext system() {
        return new ProcessContext(System.getenv(), StopSignal.shutdownHook(), ReceiverLauncher::openJdbc);
    }
}
