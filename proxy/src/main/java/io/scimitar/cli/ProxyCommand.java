package io.scimitar.cli;

import io.scimitar.config.Profile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scimitar proxy}: the identity-aware sidecar in front of the app, with the SCIM receiver in-process. */
@Command(name = "proxy", description = {
        "Run the identity-aware sidecar (listens on 0.0.0.0:8080, admin on 127.0.0.1:9901 by default).",
        "Needs SCIMITAR_UPSTREAM, SCIMITAR_POLICY, a token source (SCIMITAR_AUTH_JWKS_URL with",
        "SCIMITAR_AUTH_ISSUER and SCIMITAR_AUTH_AUDIENCE, or SCIMITAR_AUTH_ALB_ARN with",
        "SCIMITAR_AUTH_ALB_KEY_URL), and SCIMITAR_SCIM_LISTEN with a SCIM token for the embedded receiver."})
final class ProxyCommand implements Callable<Integer> {

    private final Scimitar parent;

    @Spec
    private CommandSpec spec;

    ProxyCommand(Scimitar parent) {
        this.parent = parent;
    }

    @Override
    public Integer call() throws InterruptedException {
        var config = parent.loadConfig(Profile.PROXY);
        return parent.serveSidecar(config, spec.commandLine().getOut());
    }
}
