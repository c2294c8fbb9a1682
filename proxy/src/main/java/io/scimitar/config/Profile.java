package io.scimitar.config;

/** The mode Scimitar runs in, which picks the defaults that differ between modes. */
public enum Profile {
    /** The SCIM receiver as a service: listens on every interface, as a container must. */
    RECEIVER(ScimConfig.DEFAULT_RECEIVER_LISTEN, "0.0.0.0:8080"),
    /** The sidecar in an ECS task: every interface, since the ALB reaches it over the task's ENI. */
    PROXY(ScimConfig.DEFAULT_RECEIVER_LISTEN, "0.0.0.0:8080"),
    /** The local demo: loopback only, since it prints its token. */
    DEMO(ScimConfig.DEFAULT_DEMO_LISTEN, "127.0.0.1:8080");

    private final String defaultListen;
    private final String defaultSidecarListen;

    Profile(String defaultListen, String defaultSidecarListen) {
        this.defaultListen = defaultListen;
        this.defaultSidecarListen = defaultSidecarListen;
    }

    /** The default of {@code listen}, the sidecar's inbound address, in this mode. */
    public String defaultSidecarListen() {
        return defaultSidecarListen;
    }

    /** The default of {@code scim.listen} in this mode. */
    public String defaultListen() {
        return defaultListen;
    }
}
