package io.scimitar.authn;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * The one thing authentication needs from a request: the values of a header, by case-insensitive
 * name. HTTP/1.1 (Netty {@link HttpHeaders}) and HTTP/2 adapters are one line each.
 */
@FunctionalInterface
public interface RequestHeaders {

    /** Every value of the header {@code name}, in order of appearance; empty when absent. */
    List<String> all(String name);

    /** An adapter over Netty's HTTP/1.1 headers (already case-insensitive). */
    static RequestHeaders of(HttpHeaders headers) {
        return headers::getAll;
    }
}
