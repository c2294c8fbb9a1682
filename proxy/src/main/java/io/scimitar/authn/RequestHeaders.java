package io.scimitar.authn;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.util.List;

/**
 * The one thing authentication needs from a request: the values of a header, by case-insensitive
 * name. HTTP/1.1 (Netty {@link HttpHeaders}) and HTTP/2 adapters are one line each.
 */
@FunctionalInterface
public interface RequestHeaders {

    /** Every value of the header {@code name}, in order of appearance; empty when absent. */
    List<String> all(String name);

    /** Whether the header {@code name} appears at all; adapters override it to avoid {@link #all}'s list. */
    default boolean contains(String name) {
        return !all(name).isEmpty();
    }

    /**
     * The value of {@code name} when it appears exactly once; {@code null} when it is absent or
     * repeated. The token-cache probe runs on every request, so adapters override it to answer
     * without building a list.
     */
    default String onlyValue(String name) {
        List<String> values = all(name);
        return values.size() == 1 ? values.get(0) : null;
    }

    /** An adapter over Netty's HTTP/1.1 headers (already case-insensitive). */
    static RequestHeaders of(HttpHeaders headers) {
        return new RequestHeaders() {
            @Override
            public List<String> all(String name) {
                return headers.getAll(name);
            }

            @Override
            public boolean contains(String name) {
                return headers.contains(name);
            }

            @Override
            public String onlyValue(String name) {
                // getAll copies into a new list; the iterator walks Netty's entries in place. The
                // CharSequence one, not valueStringIterator's wrapper around it: one small object the
                // JIT can scalar-replace (the wrapper kept both on the heap, 40 B, in DecisionBenchmark).
                Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(name);
                if (!values.hasNext()) {
                    return null;
                }
                CharSequence first = values.next();
                return values.hasNext() ? null : first.toString();
            }
        };
    }
}
