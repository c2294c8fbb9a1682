package io.scimitar.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.index.IndexBuilder;
import io.scimitar.index.MembershipIndex;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads a {@code GET /feed/v1/snapshot} body (docs/feed.md) line by line into an
 * {@link IndexBuilder}: the {@code snapshot} line, users, groups, members, in that order, then the
 * {@code end} line, whose version and counts must match what was read. Only then is the index
 * built; a snapshot cut short or out of order is refused whole.
 */
final class SnapshotReader {

    /** The kinds of line in the order a snapshot sends them; a line may not go back to an earlier kind. */
    private enum Part { START, USERS, GROUPS, MEMBERS }

    private final IndexBuilder builder;
    private Part part = Part.START;
    private long version = -1;
    private long users;
    private long groups;
    private long memberships;

    /** @param builder a builder from the current index, so group ordinals stay stable across the reset */
    SnapshotReader(IndexBuilder builder) {
        this.builder = builder;
    }

    /** The whole snapshot as an index, or an exception; reads {@code lines} to its end. */
    MembershipIndex read(NdjsonLines lines) throws IOException {
        while (true) {
            Optional<ObjectNode> next = lines.next();
            if (next.isEmpty()) {
                throw new FeedProtocolException("the snapshot ended after " + lines.lineNumber()
                        + " lines without its \"end\" line: discarded");
            }
            ObjectNode line = next.get();
            String type = line.path("type").asText("");
            if (type.equals("end")) {
                checkEnd(line, lines.lineNumber());
                if (lines.next().isPresent()) {
                    throw new FeedProtocolException("line " + lines.lineNumber() + " follows the snapshot's \"end\"");
                }
                return builder.build(version);
            }
            accept(type, line, lines.lineNumber());
        }
    }

    private void accept(String type, ObjectNode line, long number) throws FeedProtocolException {
        try {
            switch (type) {
                case "snapshot" -> {
                    enter(Part.START, type, number);
                    version = wholeNumber(line, "version", number);
                    part = Part.USERS;
                }
                case "user" -> {
                    enter(Part.USERS, type, number);
                    builder.user(object(line, "user", number));
                    users++;
                }
                case "group" -> {
                    enter(Part.GROUPS, type, number);
                    builder.group(object(line, "group", number));
                    groups++;
                }
                case "members" -> {
                    enter(Part.MEMBERS, type, number);
                    String groupId = text(line, "groupId", number);
                    JsonNode members = line.get("members");
                    if (members == null || !members.isArray()) {
                        throw new FeedProtocolException("line " + number + ": \"members\" must be an array");
                    }
                    for (JsonNode member : members) {
                        builder.member(groupId, text(member, "id", number), text(member, "type", number));
                        memberships++;
                    }
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
                    + (part == Part.START ? "before the \"snapshot\" line" : "out of order (expected one \"snapshot\" line, then users, then groups, then members)"));
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

    private static String text(JsonNode line, String field, long number) throws FeedProtocolException {
        JsonNode value = line.get(field);
        if (value == null || !value.isTextual()) {
            throw new FeedProtocolException("line " + number + ": \"" + field + "\" must be a string");
        }
        return value.textValue();
    }
}
