package io.scimitar.config;

import java.util.Optional;

/**
 * A {@code host:port} to listen on. IPv6 literals are written in brackets ({@code [::1]:8081});
 * port 0 asks the system for a free port.
 */
public record ListenAddress(String host, int port) {

    public ListenAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host: expected a host name or address");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: expected 0-65535, got " + port);
        }
    }

    /** Parses {@code host:port}; empty when the text is not of that form. */
    public static Optional<ListenAddress> parse(String text) {
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            return Optional.empty();
        }
        String host = s.substring(0, colon);
        String port = s.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":") || host.contains("[") || host.contains("]")) {
            return Optional.empty(); // an IPv6 literal without brackets is ambiguous
        }
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)
                || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        int p = Integer.parseInt(port);
        return p > 65_535 ? Optional.empty() : Optional.of(new ListenAddress(host, p));
    }

    /** The host as it goes into a URL: IPv6 literals in brackets. */
    public String urlHost() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /**
     * The host as a person on this machine puts it in a URL to reach this address: a wildcard
     * listen address is shown as loopback, IPv6 literals in brackets.
     */
    public String localUrlHost() {
        return switch (host) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "0:0:0:0:0:0:0:0" -> "[::1]";
            default -> urlHost();
        };
    }

    @Override
    public String toString() {
        return urlHost() + ":" + port;
    }
}
