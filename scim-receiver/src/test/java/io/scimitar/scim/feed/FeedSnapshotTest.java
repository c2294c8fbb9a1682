package io.scimitar.scim.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.store.Directory;
import io.scimitar.scim.store.DirectoryView;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** {@code GET /feed/v1/snapshot}: exactly the directory at its version, plain or gzipped, with the counts in {@code end}. */
class FeedSnapshotTest {

    private static final int BIG_GROUP = 40;

    @Test
    void theSnapshotIsTheDirectoryAtItsVersion() {
        try (FeedFixture receiver = FeedFixture.start()) {
            populate(receiver.directory);
            HttpResponse<byte[]> response = snapshot(receiver, false);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
            assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
            Parsed parsed = Parsed.of(response.body());
            DirectoryView.Dump dump = receiver.directory.view().dump();
            assertThat(response.headers().firstValue("X-Scimitar-Version")).hasValue(Long.toString(dump.version()));
            assertThat(parsed.first.path("type").asText()).isEqualTo("snapshot");
            assertThat(parsed.first.path("version").asLong()).isEqualTo(dump.version());
            assertThat(parsed.users).isEqualTo(expectedUsers(dump));
            assertThat(parsed.groups).isEqualTo(expectedGroups(dump));
            assertThat(parsed.members).isEqualTo(userMembers(dump)); // a nested group is not a member here
            assertThat(parsed.members.get(groupId(dump, "everyone"))).hasSize(BIG_GROUP);
            JsonNode end = parsed.end;
            assertThat(end.path("type").asText()).isEqualTo("end");
            assertThat(end.path("version").asLong()).isEqualTo(dump.version());
            assertThat(end.path("users").asLong()).isEqualTo(dump.users().size());
            assertThat(end.path("groups").asLong()).isEqualTo(dump.groups().size());
            assertThat(end.path("memberships").asLong())
                    .isEqualTo(userMembers(dump).values().stream().mapToLong(Map::size).sum());
        }
    }

    @Test
    void gzipWhenAskedCarriesTheSameLines() throws IOException {
        try (FeedFixture receiver = FeedFixture.start()) {
            populate(receiver.directory);
            HttpResponse<byte[]> plain = snapshot(receiver, false);
            HttpResponse<byte[]> gzipped = snapshot(receiver, true);
            assertThat(gzipped.statusCode()).isEqualTo(200);
            assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gzipped.body().length).isLessThan(plain.body().length / 3);
            byte[] inflated;
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
                inflated = in.readAllBytes();
            }
            assertThat(new String(inflated, StandardCharsets.UTF_8)).isEqualTo(new String(plain.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anEmptyDirectoryIsVersionZeroWithZeroCounts() {
        try (FeedFixture receiver = FeedFixture.start()) {
            Parsed parsed = Parsed.of(snapshot(receiver, false).body());
            assertThat(parsed.first.path("version").asLong()).isZero();
            assertThat(parsed.end.path("users").asLong()).isZero();
            assertThat(parsed.end.path("memberships").asLong()).isZero();
            assertThat(parsed.lines).hasSize(2);
        }
    }

    private static HttpResponse<byte[]> snapshot(FeedFixture receiver, boolean gzip) {
        var request = receiver.feedRequest("/feed/v1/snapshot").GET();
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        return receiver.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void populate(Directory directory) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < BIG_GROUP; i++) {
            ids.add(directory.createUser("user" + i).id());
        }
        directory.createUser(Directory.object("""
                {"schemas":["%s"],"userName":"offboarded","externalId":"ext-9","active":false,
                 "emails":[{"value":"off@example.com","type":"work"},{"value":"o2@example.com"}],
                 "name":{"givenName":"Not","familyName":"Sent"}}""".formatted(Directory.USER_SCHEMA)));
        String admins = directory.createGroup("admins", ids.get(0), ids.get(1)).id();
        directory.createGroup("everyone", ids.toArray(String[]::new));
        directory.createGroup("nested", admins);
        directory.createGroup("empty");
    }

    private static Map<String, ObjectNode> expectedUsers(DirectoryView.Dump dump) {
        Map<String, ObjectNode> users = new TreeMap<>();
        dump.users().forEach((id, user) -> {
            ObjectNode expected = Json.object().put("id", id).put("userName", user.path("userName").asText());
            if (user.has("externalId")) {
                expected.put("externalId", user.path("externalId").asText());
            }
            if (user.has("emails")) {
                var emails = expected.putArray("emails");
                user.path("emails").forEach(e -> emails.addObject().put("value", e.path("value").asText()));
            }
            expected.put("active", user.path("active").asBoolean(true));
            users.put(id, expected);
        });
        return users;
    }

    private static Map<String, ObjectNode> expectedGroups(DirectoryView.Dump dump) {
        Map<String, ObjectNode> groups = new TreeMap<>();
        dump.groups().forEach((id, group) -> {
            ObjectNode expected = Json.object().put("id", id).put("displayName", group.path("displayName").asText());
            if (group.has("externalId")) {
                expected.put("externalId", group.path("externalId").asText());
            }
            groups.put(id, expected);
        });
        return groups;
    }

    /** Each group's members that are users (member id to "User"), as the snapshot carries them. */
    private static Map<String, Map<String, String>> userMembers(DirectoryView.Dump dump) {
        Map<String, Map<String, String>> members = new TreeMap<>();
        dump.members().forEach((groupId, of) -> of.forEach((memberId, type) -> {
            if (type.equals("User")) {
                members.computeIfAbsent(groupId, g -> new TreeMap<>()).put(memberId, type);
            }
        }));
        return members;
    }

    private static String groupId(DirectoryView.Dump dump, String displayName) {
        return dump.groups().entrySet().stream().filter(g -> g.getValue().path("displayName").asText().equals(displayName))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    /**
     * The snapshot's lines, sorted into users, groups and members as a client would load them;
     * checks that every group comes before the first user.
     */
    private record Parsed(List<JsonNode> lines, JsonNode first, JsonNode end, Map<String, ObjectNode> users,
            Map<String, ObjectNode> groups, Map<String, Map<String, String>> members) {

        static Parsed of(byte[] body) {
            List<JsonNode> lines = new ArrayList<>();
            String text = new String(body, StandardCharsets.UTF_8);
            assertThat(text).endsWith("\n");
            for (String line : text.split("\n")) {
                try {
                    lines.add(Json.MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            Map<String, ObjectNode> users = new TreeMap<>();
            Map<String, ObjectNode> groups = new TreeMap<>();
            Map<String, Map<String, String>> members = new TreeMap<>();
            for (JsonNode line : lines.subList(1, lines.size() - 1)) {
                switch (line.path("type").asText()) {
                    case "group" -> {
                        assertThat(users).as("groups come before users").isEmpty();
                        groups.put(line.path("group").path("id").asText(), (ObjectNode) line.path("group"));
                    }
                    case "user" -> {
                        String id = line.path("user").path("id").asText();
                        users.put(id, (ObjectNode) line.path("user"));
                        assertThat(line.path("groups").isArray()).as("every user line has its groups").isTrue();
                        line.path("groups").forEach(g -> members.computeIfAbsent(g.asText(), k -> new TreeMap<>()).put(id, "User"));
                    }
                    default -> throw new AssertionError("unexpected line " + line);
                }
            }
            return new Parsed(lines, lines.get(0), lines.get(lines.size() - 1), users, groups, members);
        }
    }
}
