package io.scimitar.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scimitar proxy}: the sidecar, which arrives in a later issue. */
@Command(name = "proxy", description = "Run the identity-aware sidecar (not yet available).")
final class ProxyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("scimitar: proxy: not yet available (the sidecar arrives in a later release)");
        spec.commandLine().getErr().flush();
        return Scimitar.EXIT_CONFIG;
    }
}
