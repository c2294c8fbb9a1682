package io.scimitar.cli;

import io.scimitar.config.ScimitarConfig;

/** Opens the directory a configuration names; {@link ReceiverLauncher#openJdbc} in production. */
@FunctionalInterface
public interface DirectoryOpener {

    OpenDirectory open(ScimitarConfig config);
}
