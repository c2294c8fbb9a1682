package io.scimitar.config;

/**
 * A configuration that Scimitar refuses to start with. The message is one line that names where
 * the value came from (the file, or the environment variable), the key, and what was expected.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
