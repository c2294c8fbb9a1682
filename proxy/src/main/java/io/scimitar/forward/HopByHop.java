package io.scimitar.forward;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;

/**
 * The connection-specific headers a proxy must not forward (RFC 9110 §7.6.1): Connection and every
 * header it names, plus the ones that are hop-by-hop by definition. Framing is the codec's: the
 * caller sets Transfer-Encoding or Content-Length again for the next hop.
 */
final class HopByHop {

    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private HopByHop() {
    }

    static void remove(HttpHeaders headers) {
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                String name = token.trim();
                if (!name.isEmpty()) {
                    headers.remove(name);
                }
            }
        }
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.TRAILER);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.remove(HttpHeaderNames.UPGRADE);
        headers.remove(PROXY_CONNECTION);
    }

    /**
     * Like {@link #remove}, but an upgrade (RFC 9110 §7.8) keeps {@code Upgrade} and goes on with
     * {@code Connection: upgrade}, which is how the next hop learns of it (RFC 6455 §4.1, §4.2.2).
     */
    static void removeKeepingUpgrade(HttpHeaders headers) {
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        remove(headers);
        if (upgrade != null) {
            headers.set(HttpHeaderNames.UPGRADE, upgrade);
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
    }

    /** Removes every header whose name starts with {@code X-Scimitar-}, in any case: only the sidecar sets them. */
    static void removeScimitarHeaders(HttpHeaders headers) {
        ArrayList<String> spoofed = null;
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (AsciiString.regionMatches(name, true, 0, "x-scimitar-", 0, 11)) {
                if (spoofed == null) {
                    spoofed = new ArrayList<>(2);
                }
                spoofed.add(name.toString());
            }
        }
        if (spoofed != null) {
            spoofed.forEach(headers::remove);
        }
    }
}
