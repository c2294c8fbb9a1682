package io.scimitar.cli;

import io.scimitar.config.ConfigKey;
import io.scimitar.config.Profile;
import io.scimitar.config.ScimitarConfig;
import io.scimitar.config.Secret;
import io.scimitar.config.StoreLocation;
import io.scimitar.demo.DemoIdentityProvider;
import io.scimitar.demo.SampleApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code scimitar demo}: the whole product on loopback with nothing to configure. The sidecar on
 * 127.0.0.1:8080 with its embedded SCIM receiver on :8081, a sample app behind it, a stand-in
 * identity provider with a fresh signing key, the demo policy, and a printed walk-through of
 * curl lines from provisioning a user to seeing the same token refused after deactivation.
 */
@Command(name = "demo", description = {
        "Run a complete local demo: the sidecar on 127.0.0.1:8080 in front of a sample app, the SCIM",
        "receiver on 127.0.0.1:8081 (token generated and printed once), a demo token issuer, and a",
        "printed walk-through."})
final class DemoCommand implements Callable<Integer> {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final String POLICY_FILE = "demo-policy.yaml";
    /** Where the demo policy goes when the store is not a SQLite file (beside which it goes otherwise). */
    private static final String DEMO_FOLDER = "scimitar-data";

    private final Scimitar parent;

    @Spec
    private CommandSpec spec;

    DemoCommand(Scimitar parent) {
        this.parent = parent;
    }

    @Override
    public Integer call() throws InterruptedException {
        Secret token = generateToken();
        PrintWriter out = spec.commandLine().getOut();
        return parent.serve(() -> start(token), out, demo -> printWalkthrough(out, demo, token));
    }

    /** The demo's parts, started in order and closed in reverse. */
    private Demo start(Secret token) {
        DemoIdentityProvider idp = DemoIdentityProvider.start();
        SampleApp app = null;
        try {
            app = SampleApp.start();
            ScimitarConfig base = parent.loadConfig(Profile.DEMO);
            Path folder = base.store() instanceof StoreLocation.Sqlite sqlite
                    ? sqlite.file().toAbsolutePath().normalize().getParent()
                    : Path.of(DEMO_FOLDER).toAbsolutePath();
            Path policy = demoPolicy(folder);
            ScimitarConfig config = parent.loadConfig(Profile.DEMO, Map.of(
                    ConfigKey.UPSTREAM.envVar(), app.url().toString(),
                    ConfigKey.POLICY.envVar(), policy.toString(),
                    ConfigKey.AUTH_JWKS_URL.envVar(), idp.jwksUrl().toString(),
                    ConfigKey.AUTH_ISSUER.envVar(), idp.issuer().toString(),
                    ConfigKey.AUTH_AUDIENCE.envVar(), DemoIdentityProvider.AUDIENCE,
                    ConfigKey.AUTH_USER_CLAIM.envVar(), "email",
                    ConfigKey.AUTH_USER_ATTRIBUTE.envVar(), "userName"));
            return new Demo(parent.startSidecar(config, List.of(token)), idp, app, policy);
        } catch (RuntimeException e) {
            if (app != null) {
                app.close();
            }
            idp.close();
            throw e;
        }
    }

    /** The demo policy next to the store: written once, then the person's to edit (it is reloaded on change). */
    static Path demoPolicy(Path dataDirectory) {
        Path policy = dataDirectory.resolve(POLICY_FILE);
        if (Files.exists(policy)) {
            return policy;
        }
        try (InputStream in = DemoIdentityProvider.class.getResourceAsStream("policy.yaml")) {
            Files.createDirectories(dataDirectory);
            Files.copy(in, policy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo policy " + policy, e);
        }
        return policy;
    }

    private record Demo(RunningSidecar sidecar, DemoIdentityProvider idp, SampleApp app, Path policy)
            implements Scimitar.Service {
        @Override
        public String readyLine() {
            return sidecar.readyLine();
        }

        @Override
        public void close() {
            try {
                sidecar.close();
            } finally {
                app.close();
                idp.close();
            }
        }
    }

    private static void printWalkthrough(PrintWriter out, Demo demo, Secret token) {
        String scim = demo.sidecar().receiver().orElseThrow().scimUrl();
        String sidecar = demo.sidecar().url();
        String json = "-H 'Content-Type: application/scim+json'";
        // The one place Scimitar prints a SCIM token: it was made for this process and dies with it.
        out.println("Scimitar demo: the sidecar at " + sidecar + " in front of a sample app; SCIM at " + scim
                + "; admin at " + demo.sidecar().adminUrl() + ". Stop it with Ctrl-C.");
        out.println("Policy: " + demo.policy() + " (edit it: it is reloaded on change)");
        out.println();
        out.println("# 1. Provision ada and the group engineers over SCIM, as Okta or Entra ID would:");
        out.println("SCIM='Authorization: Bearer " + token.reveal() + "'");
        out.println("ADA=$(curl -s -H \"$SCIM\" " + json + " -d '{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\"ada@example.com\",\"emails\":[{\"value\":\"ada@example.com\",\"primary\":true}]}' "
                + scim + "/Users | grep -o '\"id\":\"[^\"]*\"' | head -1 | cut -d'\"' -f4)");
        out.println("curl -s -H \"$SCIM\" " + json + " -d '{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                + "\"displayName\":\"engineers\",\"members\":[{\"value\":\"'$ADA'\"}]}' " + scim + "/Groups");
        out.println();
        out.println("# 2. Get a token for ada from the demo's token issuer (in production, your IdP signs it):");
        out.println("TOKEN=$(curl -s '" + demo.idp().issuer() + "/token?email=ada@example.com')");
        out.println();
        out.println("# 3. An allowed route (200; the app sees X-Scimitar-User), then a denied one (403):");
        out.println("curl -si -H \"Authorization: Bearer $TOKEN\" " + sidecar + "/api/hello");
        out.println("curl -si -H \"Authorization: Bearer $TOKEN\" " + sidecar + "/admin/settings");
        out.println();
        out.println("# 4. Deactivate ada over SCIM: the same, unexpired token is refused at once (403):");
        out.println("curl -s -X PATCH -H \"$SCIM\" " + json + " -d '{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}' " + scim + "/Users/$ADA");
        out.println("curl -si -H \"Authorization: Bearer $TOKEN\" " + sidecar + "/api/hello");
        out.println();
        out.println("# 5. Why? Ask the admin listener:");
        out.println("curl -s '" + demo.sidecar().adminUrl() + "/explain?user=ada@example.com&method=GET&path=/api/hello'");
        out.println();
    }

    /** 256 random bits, URL-safe: a token an IdP's admin console accepts as is. */
    static Secret generateToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new Secret(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
}
