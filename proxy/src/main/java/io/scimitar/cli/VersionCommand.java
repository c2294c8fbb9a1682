package io.scimitar.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scimitar version}: the build's version and the Java runtime. */
@Command(name = "version", description = "Print the version of Scimitar and of the Java runtime.")
final class VersionCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    static String line() {
        return "scimitar " + Scimitar.version() + " (Java " + Runtime.version() + ")";
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(line());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
