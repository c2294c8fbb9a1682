package io.scimitar.cli;

import io.scimitar.config.Profile;
import io.scimitar.config.Secret;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code scimitar demo}: the receiver on loopback with a freshly generated token, printed once,
 * so that the first try needs no configuration.
 */
@Command(name = "demo", description = "Run the SCIM receiver on 127.0.0.1:8081 with a generated token, printed once.")
final class DemoCommand implements Callable<Integer> {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Scimitar parent;

    @Spec
    private CommandSpec spec;

    DemoCommand(Scimitar parent) {
        this.parent = parent;
    }

    @Override
    public Integer call() throws InterruptedException {
        var config = parent.loadConfig(Profile.DEMO);
        Secret token = generateToken();
        PrintWriter out = spec.commandLine().getOut();
        return parent.serve(config, List.of(token), out, running -> {
            String url = running.scimUrl();
            // The one place Scimitar prints a token: it was made for this process and dies with it.
            out.println("Scimitar demo: a SCIM 2.0 receiver, stop it with Ctrl-C.");
            out.println("Demo bearer token (shown once, valid until this process stops): " + token.reveal());
            out.println("Try:");
            out.println("  curl -s -H 'Authorization: Bearer " + token.reveal() + "' \\");
            out.println("       -H 'Content-Type: application/scim+json' \\");
            out.println("       -d '{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"ada@example.com\"}' \\");
            out.println("       " + url + "/Users");
            out.println("  curl -s -H 'Authorization: Bearer " + token.reveal() + "' '" + url
                    + "/Users?filter=userName%20eq%20%22ada@example.com%22'");
        });
    }

    /** 256 random bits, URL-safe: a token an IdP's admin console accepts as is. */
    static Secret generateToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new Secret(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
}
