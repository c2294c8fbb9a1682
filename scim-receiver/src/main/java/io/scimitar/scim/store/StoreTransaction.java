package io.scimitar.scim.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One write transaction of a {@link JdbcStore}: reads of the current state (inside the transaction,
 * so they see what concurrent writers committed) and the events this write will commit. The tables
 * change only when the events are applied at commit, so the tables, like the in-memory view, are a
 * fold of the change log.
 */
public final class StoreTransaction {

    private final Connection connection;
    private final long version;
    private final Instant now;
    private final List<ChangeEvent> events = new ArrayList<>();

    StoreTransaction(Connection connection, long version, Instant now) {
        this.connection = connection;
        this.version = version;
        this.now = now;
    }

    /** The directory version this write commits as (previous maximum + 1). */
    public long version() {
        return version;
    }

    /** The commit time of this write, with millisecond precision. */
    public Instant now() {
        return now;
    }

    /** Adds an event to this write; a write without events commits nothing and takes no version. */
    public void append(ChangeEvent event) {
        events.add(event);
    }

    List<ChangeEvent> events() {
        return events;
    }

    public Optional<ObjectNode> user(String id) {
        return resource("SELECT resource FROM users WHERE id = ?", id);
    }

    public Optional<ObjectNode> group(String id) {
        return resource("SELECT resource FROM groups WHERE id = ?", id);
    }

    /** The id of the user whose userName equals {@code userName} case-insensitively. */
    public Optional<String> userIdByUserName(String userName) {
        return strings("SELECT id FROM users WHERE user_name_lower = ?", lower(userName)).stream().findFirst();
    }

    /** The ids of the groups whose displayName equals {@code displayName} case-insensitively. */
    public List<String> groupIdsByDisplayName(String displayName) {
        return strings("SELECT id FROM groups WHERE display_name_lower = ?", lower(displayName));
    }

    /** For each of {@code ids} that names a user or a group: its type, "User" or "Group". */
    public Map<String, String> resourceTypes(Collection<String> ids) {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement user = connection.prepareStatement("SELECT 1 FROM users WHERE id = ?");
             PreparedStatement group = connection.prepareStatement("SELECT 1 FROM groups WHERE id = ?")) {
            for (String id : ids) {
                if (exists(user, id)) {
                    types.put(id, "User");
                } else if (exists(group, id)) {
                    types.put(id, "Group");
                }
            }
        } catch (SQLException e) {
            throw JdbcStore.unavailable(e);
        }
        return types;
    }

    /** The subset of {@code ids} that are members of the group: O(|ids|), not O(group size). */
    public Set<String> membersAmong(String groupId, Collection<String> ids) {
        Set<String> found = new LinkedHashSet<>();
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT 1 FROM group_members WHERE group_id = ? AND member_id = ?")) {
            st.setString(1, groupId);
            for (String id : ids) {
                st.setString(2, id);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        found.add(id);
                    }
                }
            }
        } catch (SQLException e) {
            throw JdbcStore.unavailable(e);
        }
        return found;
    }

    /** Every member of the group, in id order. */
    public List<ChangeEvent.Member> members(String groupId) {
        List<ChangeEvent.Member> members = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT member_id, member_type FROM group_members WHERE group_id = ? ORDER BY member_id")) {
            st.setString(1, groupId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    members.add(new ChangeEvent.Member(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw JdbcStore.unavailable(e);
        }
        return members;
    }

    /**
     * Every member of the group as a SCIM member object ({@code value}, {@code type}, {@code display}),
     * the display being the user's userName or the group's displayName.
     */
    public List<ObjectNode> memberObjects(String groupId) {
        List<ObjectNode> members = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement("""
                SELECT m.member_id, m.member_type, COALESCE(u.user_name, g.display_name)
                FROM group_members m
                LEFT JOIN users u ON u.id = m.member_id
                LEFT JOIN groups g ON g.id = m.member_id
                WHERE m.group_id = ? ORDER BY m.member_id""")) {
            st.setString(1, groupId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ObjectNode member = Json.object().put("value", rs.getString(1)).put("type", rs.getString(2));
                    String display = rs.getString(3);
                    if (display != null) {
                        member.put("display", display);
                    }
                    members.add(member);
                }
            }
        } catch (SQLException e) {
            throw JdbcStore.unavailable(e);
        }
        return members;
    }

    /** Folds the events into the tables; called once, by the store, just before commit. */
    void applyEvents() throws SQLException {
        for (ChangeEvent event : events) {
            switch (event) {
                case ChangeEvent.UserUpserted e -> upsertUser(e.user());
                case ChangeEvent.UserDeactivated e -> upsertUser(e.user());
                case ChangeEvent.UserDeleted e -> deleteResource("users", e.userId());
                case ChangeEvent.GroupUpserted e -> upsertGroup(e.group());
                case ChangeEvent.GroupDeleted e -> deleteResource("groups", e.groupId());
                case ChangeEvent.MembersAdded e -> addMembers(e.groupId(), e.members());
                case ChangeEvent.MembersRemoved e -> removeMembers(e.groupId(), e.members());
            }
        }
    }

    private void upsertUser(ObjectNode user) throws SQLException {
        String userName = text(user, "userName");
        JsonNode active = user.get("active");
        Object[] values = {userName, lower(userName), nullableText(user, "externalId"),
                active != null && active.isBoolean() && !active.booleanValue() ? 0L : 1L, version,
                meta(user, "created"), meta(user, "lastModified"), write(user), text(user, "id")};
        int updated = update("""
                UPDATE users SET user_name = ?, user_name_lower = ?, external_id = ?, active = ?, version = ?,
                created = ?, last_modified = ?, resource = ? WHERE id = ?""", values);
        if (updated == 0) {
            update("""
                    INSERT INTO users (user_name, user_name_lower, external_id, active, version, created,
                    last_modified, resource, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", values);
        }
    }

    private void upsertGroup(ObjectNode group) throws SQLException {
        String displayName = text(group, "displayName");
        Object[] values = {displayName, lower(displayName), nullableText(group, "externalId"), version,
                meta(group, "created"), meta(group, "lastModified"), write(group), text(group, "id")};
        int updated = update("""
                UPDATE groups SET display_name = ?, display_name_lower = ?, external_id = ?, version = ?,
                created = ?, last_modified = ?, resource = ? WHERE id = ?""", values);
        if (updated == 0) {
            update("""
                    INSERT INTO groups (display_name, display_name_lower, external_id, version, created,
                    last_modified, resource, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", values);
        }
    }

    /** Deleting a user or a group also removes it from every group it belonged to (see {@link ChangeEvent}). */
    private void deleteResource(String table, String id) throws SQLException {
        update("DELETE FROM group_members WHERE member_id = ?", id);
        // group_members rows of a deleted group go by ON DELETE CASCADE.
        update("DELETE FROM " + table + " WHERE id = ?", id);
    }

    private void addMembers(String groupId, List<ChangeEvent.Member> members) throws SQLException {
        // Set semantics, like the in-memory view: adding a present member changes nothing.
        try (PreparedStatement st = connection.prepareStatement("""
                INSERT INTO group_members (group_id, member_id, member_type)
                SELECT ?, ?, ? WHERE NOT EXISTS
                (SELECT 1 FROM group_members WHERE group_id = ? AND member_id = ?)""")) {
            for (ChangeEvent.Member m : members) {
                st.setString(1, groupId);
                st.setString(2, m.id());
                st.setString(3, m.type());
                st.setString(4, groupId);
                st.setString(5, m.id());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private void removeMembers(String groupId, List<ChangeEvent.Member> members) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "DELETE FROM group_members WHERE group_id = ? AND member_id = ?")) {
            for (ChangeEvent.Member m : members) {
                st.setString(1, groupId);
                st.setString(2, m.id());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private int update(String sql, Object... values) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setObject(i + 1, values[i]);
            }
            return st.executeUpdate();
        }
    }

    private Optional<ObjectNode> resource(String sql, String id) {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(JdbcStore.parseResource(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw JdbcStore.unavailable(e);
        }
    }

    private List<String> strings(String sql, String parameter) {
        List<String> result = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, parameter);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw JdbcStore.unavailable(e);
        }
        return result;
    }

    private static boolean exists(PreparedStatement st, String id) throws SQLException {
        st.setString(1, id);
        try (ResultSet rs = st.executeQuery()) {
            return rs.next();
        }
    }

    static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }

    private static String text(ObjectNode resource, String field) {
        JsonNode value = resource.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("resource without string " + field);
        }
        return value.asText();
    }

    private static String nullableText(ObjectNode resource, String field) {
        JsonNode value = resource.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private String meta(ObjectNode resource, String field) {
        JsonNode value = resource.path("meta").get(field);
        return value != null && value.isTextual() ? value.asText() : now.toString();
    }

    private static String write(ObjectNode resource) {
        try {
            return Json.MAPPER.writeValueAsString(resource);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
