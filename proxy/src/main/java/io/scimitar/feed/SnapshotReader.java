package io.scimitar.feed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.index.IndexBuilder;
import io.scimitar.scim.json.Json;
import io.scimitar.index.MembershipIndex;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code GET /feed/v1/snapshot} body (docs/feed.md) line by line into an
 * {@link IndexBuilder}: the {@code snapshot} line, groups, then users each with its groups' ids, in
 * that order, then the {@code end} line, whose version and counts must match what was read. Only
 * then is the index built; a snapshot cut short or out of order is refused whole.
 */
public final class SnapshotReader {

    /** The kinds of line in the order a snapshot sends them; a line may not go back to an earlier kind. */
    private enum Part { START, GROUPS, USERS }

    /** Reads one value inside a line; the line's own end is checked by {@link #fields}. */
    private static final ObjectReader VALUE = Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final IndexBuilder builder;
    private Part part = Part.START;
    private long version = -1;
    private long users;
    private long groups;
    private long memberships;
    // The current line's group ids, reused line after line.
    private final List<String> groupIds = new ArrayList<>();
    private boolean hasGroupIds;

    /** @param builder a builder from the current index, so group ordinals stay stable across the reset */
    SnapshotReader(IndexBuilder builder) {
        this.builder = builder;
    }

    /**
     * Reads a whole snapshot body (already decompressed) into {@code builder} exactly as the feed
     * client does, and builds the index: for benchmarks and tools that hold a body in hand.
     */
    public static MembershipIndex read(InputStream body, IndexBuilder builder) throws IOException {
        return new SnapshotReader(builder).read(new NdjsonLines(body, () -> { }));
    }

    /** The whole snapshot as an index, or an exception; reads {@code lines} to its end. */
    MembershipIndex read(NdjsonLines lines) throws IOException {
        while (true) {
            JsonParser parser = lines.nextParser();
            if (parser == null) {
                throw new FeedProtocolException("the snapshot ended after " + lines.lineNumber()
                        + " lines without its \"end\" line: discarded");
            }
            long number = lines.lineNumber();
            ObjectNode line;
            try (parser) {
                line = fields(parser, number);
            } catch (FeedProtocolException e) {
                throw e;
            } catch (IOException e) {
                throw NdjsonLines.notJson(number, e);
            }
            String type = line.path("type").asText("");
            if (type.equals("end")) {
                checkEnd(line, number);
                if (lines.next().isPresent()) {
                    throw new FeedProtocolException("line " + lines.lineNumber() + " follows the snapshot's \"end\"");
                }
                return builder.build(version);
            }
            accept(type, line, number);
        }
    }

    /**
     * One line's fields as a tree, except a {@code groups} array, which goes straight into
     * {@link #groupIds}: 2,000,000 memberships would otherwise be as many tree nodes built only to
     * be read once.
     */
    private ObjectNode fields(JsonParser parser, long number) throws IOException {
        groupIds.clear();
        hasGroupIds = false;
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new FeedProtocolException("line " + number + " is not a JSON object");
        }
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (parser.nextToken() == JsonToken.START_ARRAY && name.equals("groups")) {
                hasGroupIds = true;
                while (parser.nextToken() == JsonToken.VALUE_STRING) {
                    groupIds.add(parser.getText());
                }
                if (parser.currentToken() != JsonToken.END_ARRAY) {
                    throw new FeedProtocolException("line " + number + ": \"groups\" must be an array of strings");
                }
            } else {
                fields.set(name, VALUE.readTree(parser));
            }
        }
        if (parser.nextToken() != null) {
            throw new FeedProtocolException("line " + number + " holds more than one JSON value");
        }
        return fields;
    }

    private void accept(String type, ObjectNode line, long number) throws FeedProtocolException {
        try {
            switch (type) {
                case "snapshot" -> {
                    enter(Part.START, type, number);
                    version = wholeNumber(line, "version", number);
                    part = Part.GROUPS;
                }
                case "group" -> {
                    enter(Part.GROUPS, type, number);
                    builder.group(object(line, "group", number));
                    groups++;
                }
                case "user" -> {
                    enter(Part.USERS, type, number);
                    if (!hasGroupIds) {
                        throw new FeedProtocolException("line " + number + ": \"groups\" must be an array of strings");
                    }
                    builder.user(object(line, "user", number), groupIds);
                    users++;
                    memberships += groupIds.size();
                }
                default -> throw new FeedProtocolException("line " + number + ": unexpected line type \"" + type
                        + "\" in a snapshot");
            }
        } catch (IllegalArgumentException e) {
            throw new FeedProtocolException("line " + number + ": " + e.getMessage(), e);
        }
    }

    /** Moves to {@code target}: the snapshot line only first, then never back to an earlier kind of line. */
    private void enter(Part target, String type, long number) throws FeedProtocolException {
        boolean inOrder = target == Part.START ? part == Part.START
                : part != Part.START && target.ordinal() >= part.ordinal();
        if (!inOrder) {
            throw new FeedProtocolException("line " + number + ": a \"" + type + "\" line "
                    + (part == Part.START ? "before the \"snapshot\" line" : "out of order (expected one \"snapshot\" line, then groups, then users)"));
        }
        part = target;
    }

    private void checkEnd(ObjectNode end, long number) throws FeedProtocolException {
        if (part == Part.START) {
            throw new FeedProtocolException("line " + number + ": \"end\" before the \"snapshot\" line");
        }
        long endVersion = wholeNumber(end, "version", number);
        long endUsers = wholeNumber(end, "users", number);
        long endGroups = wholeNumber(end, "groups", number);
        long endMemberships = wholeNumber(end, "memberships", number);
        if (endVersion != version || endUsers != users || endGroups != groups || endMemberships != memberships) {
            throw new FeedProtocolException("the snapshot's \"end\" says version " + endVersion + ", " + endUsers
                    + " users, " + endGroups + " groups, " + endMemberships + " memberships; read version " + version
                    + ", " + users + " users, " + groups + " groups, " + memberships + " memberships: discarded");
        }
    }

    static long wholeNumber(JsonNode line, String field, long number) throws FeedProtocolException {
        JsonNode value = line.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new FeedProtocolException("line " + number + ": \"" + field + "\" must be a whole number");
        }
        return value.longValue();
    }

    private static ObjectNode object(JsonNode line, String field, long number) throws FeedProtocolException {
        if (line.get(field) instanceof ObjectNode object) {
            return object;
        }
        throw new FeedProtocolException("line " + number + ": \"" + field + "\" must be an object");
    }
}
