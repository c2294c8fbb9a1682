package io.scimitar.feed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads newline-delimited JSON objects from a stream as they arrive: one line in memory at a time,
 * never the whole body, so a snapshot of millions of memberships streams through. Each line must
 * be exactly one JSON object; blank lines are skipped.
 */
final class NdjsonLines {

    /**
     * The longest line accepted. A change line carries a whole write, and a PUT of a group with
     * 100,000 members is about 6 MB; anything far beyond that is a broken or hostile receiver.
     */
    static final int MAX_LINE_BYTES = 64 << 20;

    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final InputStream in;
    private final Runnable onRead;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private byte[] line = new byte[8 * 1024];
    private long lineNumber;

    /** @param onRead called after every read that returned bytes (what the read-timeout watchdog watches) */
    NdjsonLines(InputStream in, Runnable onRead) {
        this.in = in;
        this.onRead = onRead;
    }

    /** The number of the line {@link #next()} returned last, from 1. */
    long lineNumber() {
        return lineNumber;
    }

    /**
     * The next line's object, blocking until it is complete; empty at the end of the stream.
     *
     * @throws FeedProtocolException when the line is not one JSON object, is too long, or the stream
     *     ends in the middle of a line
     */
    Optional<ObjectNode> next() throws IOException {
        int length = nextLine();
        if (length < 0) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = READER.readTree(line, 0, length);
        } catch (IOException e) {
            throw notJson(lineNumber, e);
        }
        if (node instanceof ObjectNode object) {
            return Optional.of(object);
        }
        throw new FeedProtocolException("line " + lineNumber + " is not a JSON object");
    }

    /**
     * The next non-blank line as a parser over its bytes (valid until the next call), for a reader
     * that takes a line apart without building its whole tree; null at the end of the stream. The
     * parser refuses duplicate keys as {@link #next()} does; that the line holds exactly one
     * object is the caller's to check.
     */
    JsonParser nextParser() throws IOException {
        int length = nextLine();
        return length < 0 ? null : READER.createParser(line, 0, length);
    }

    /** The reason a line could not be parsed, its number and the parser's first line of explanation. */
    static FeedProtocolException notJson(long number, IOException e) {
        return new FeedProtocolException("line " + number + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }

    /** Reads up to the next non-blank line into {@link #line}, counting it; its length, or -1 at the end. */
    private int nextLine() throws IOException {
        while (true) {
            int length = readLine();
            if (length < 0) {
                return -1;
            }
            lineNumber++;
            if (length > 0 && line[length - 1] == '\r') {
                length--;
            }
            if (!isBlank(length)) {
                return length;
            }
        }
    }

    /** Reads up to the next newline into {@link #line}; its length, or -1 at the end of the stream before any byte. */
    private int readLine() throws IOException {
        int length = 0;
        while (true) {
            if (position == limit) {
                int n = in.read(buffer);
                if (n < 0) {
                    if (length > 0) {
                        throw new FeedProtocolException("the stream ended in the middle of line " + (lineNumber + 1));
                    }
                    return -1;
                }
                onRead.run();
                position = 0;
                limit = n;
            }
            int start = position;
            int end = start;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            int chunk = end - start;
            if (length + chunk > MAX_LINE_BYTES) {
                throw new FeedProtocolException("line " + (lineNumber + 1) + " is longer than " + MAX_LINE_BYTES + " bytes");
            }
            if (length + chunk > line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, length + chunk)));
            }
            System.arraycopy(buffer, start, line, length, chunk);
            length += chunk;
            if (end < limit) {
                position = end + 1; // past the newline
                return length;
            }
            position = limit;
        }
    }

    private boolean isBlank(int length) {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
