package io.scimitar.cli;

import io.scimitar.config.Profile;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scimitar receiver}: the SCIM 2.0 receiver the identity provider provisions into. */
@Command(name = "receiver", description = {
        "Run the SCIM 2.0 receiver (listens on 0.0.0.0:8081 by default).",
        "Needs at least one bearer token: SCIMITAR_SCIM_TOKEN or SCIMITAR_SCIM_TOKEN_FILE."})
final class ReceiverCommand implements Callable<Integer> {

    private final Scimitar parent;

    @Spec
    private CommandSpec spec;

    ReceiverCommand(Scimitar parent) {
        this.parent = parent;
    }

    @Override
    public Integer call() throws InterruptedException {
        var config = parent.loadConfig(Profile.RECEIVER).requireTokens();
        return parent.serve(config, List.of(), spec.commandLine().getOut(), running -> { });
    }
}
