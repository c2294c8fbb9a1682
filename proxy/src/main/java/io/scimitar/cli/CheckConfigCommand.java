package io.scimitar.cli;

import io.scimitar.config.ConfigKey;
import io.scimitar.config.Profile;
import io.scimitar.config.ScimConfig;
import io.scimitar.config.ScimitarConfig;
import io.scimitar.config.Secret;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scimitar check-config}: validates the configuration as {@code receiver} (or, with
 * {@code --for proxy}, as {@code proxy}) would and prints the effective values as YAML, each with
 * where it came from. Secrets appear only as fingerprints.
 */
@Command(name = "check-config", description = {
        "Validate the configuration as 'receiver' (or, with --for proxy, as 'proxy') would and print",
        "the effective values (secrets redacted). Exit status 2 when it is not valid."})
final class CheckConfigCommand implements Callable<Integer> {

    /** The commands whose configuration can be checked. */
    enum Mode {
        receiver, proxy
    }

    private final Scimitar parent;

    @Option(names = "--for", paramLabel = "COMMAND", defaultValue = "receiver",
            description = "Check as this command would: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private Mode mode;

    @Spec
    private CommandSpec spec;

    CheckConfigCommand(Scimitar parent) {
        this.parent = parent;
    }

    @Override
    public Integer call() {
        ScimitarConfig config = switch (mode) {
            case receiver -> parent.loadConfig(Profile.RECEIVER).requireTokens();
            case proxy -> {
                ScimitarConfig proxy = parent.loadConfig(Profile.PROXY);
                proxy.sidecar().requireComplete();
                yield proxy.isSet(ConfigKey.SCIM_LISTEN) ? proxy.requireTokens() : proxy;
            }
        };
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(config));
        out.flush();
        return 0;
    }

    /** The effective configuration in the YAML file's shape; a comment names each value's source. */
    static String render(ScimitarConfig config) {
        ScimConfig scim = config.scim();
        StringBuilder out = new StringBuilder();
        out.append("# scimitar: the configuration is valid. Effective values (environment > ")
                .append(config.file().map(f -> "file " + f).orElse("no file"))
                .append(" > defaults):\n");
        String group = "";
        for (ConfigKey key : ConfigKey.values()) {
            int dot = key.path().lastIndexOf('.');
            String keyGroup = dot < 0 ? "" : key.path().substring(0, dot);
            if (!keyGroup.isEmpty() && !keyGroup.equals(group)) {
                out.append(keyGroup).append(":\n");
            }
            group = keyGroup;
            String value = config.display(key);
            String note = "";
            if (key == ConfigKey.SCIM_TOKEN_FILE && scim.tokenFile().isPresent()) {
                note = "; " + scim.tokenFileTokens().size() + " token(s) now, sha256 "
                        + scim.tokenFileTokens().stream().map(Secret::fingerprint).collect(Collectors.joining(" "));
            }
            boolean plain = value.isEmpty() || value.matches("-?\\d+|true|false");
            line(out, config, key, plain ? value : quoted(value), note);
        }
        return out.toString();
    }

    /** One {@code key: value  # source} line; an unset key is written with no value, which reads back as unset. */
    private static void line(StringBuilder out, ScimitarConfig config, ConfigKey key, String value, String note) {
        String source = switch (config.source(key)) {
            case DEFAULT -> value.isEmpty() ? "not set" : "default";
            case FILE -> "from " + config.file().map(Object::toString).orElse("the file");
            case ENVIRONMENT -> "from " + key.envVar();
        };
        String path = key.path();
        int dot = path.lastIndexOf('.');
        String indent = dot < 0 ? "" : "  ";
        out.append(indent).append(path.substring(dot + 1)).append(':')
                .append(value.isEmpty() ? "" : " " + value)
                .append("  # ").append(source).append(note).append('\n');
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
