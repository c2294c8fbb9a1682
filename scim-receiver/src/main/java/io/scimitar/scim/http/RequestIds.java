package io.scimitar.scim.http;

import java.util.concurrent.ThreadLocalRandom;

/** Short random ids that tie a response ({@code X-Request-Id}) to its log lines. */
final class RequestIds {

    private RequestIds() {
    }

    static String next() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }
}
