package io.scimitar.forward;

/**
 * The user event a client connection's pipeline receives, from its head, when the app accepted an
 * upgrade with 101 and the connection is about to become a byte tunnel: the moment to register it
 * as a long-lived connection. Handlers that only make sense for HTTP/1.1 remove themselves on it.
 *
 * @param protocol the protocol the connection switched to, as the app's {@code Upgrade} header named it
 */
public record ProtocolSwitched(String protocol) {
}
