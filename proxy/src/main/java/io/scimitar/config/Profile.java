package io.scimitar.config;

/** The mode Scimitar runs in, which picks the defaults that differ between modes. */
public enum Profile {
    /** The SCIM receiver as a service: listens on every interface, as a container must. */
    RECEIVER(ScimConfig.DEFAULT_RECEIVER_LISTEN),
    /** The local demo: loopback only, since it prints its token. */
    DEMO(ScimConfig.DEFAULT_DEMO_LISTEN);

    private final String defaultListen;

    Profile(String defaultListen) {
        this.defaultListen = defaultListen;
    }

    /** The default of {@code scim.listen} in this mode. */
    public String defaultListen() {
        return defaultListen;
    }
}
