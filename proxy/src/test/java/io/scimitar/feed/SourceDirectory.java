package io.scimitar.feed;

import io.scimitar.index.MembershipIndex;
import io.scimitar.index.UserKey;
import io.scimitar.scim.store.JdbcStore;
import io.scimitar.testing.ReceiverDirectory;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The directory a feed serves, as a receiver holds it (a {@link ReceiverDirectory}), with users
 * named by their email and what a sidecar's index must then say about it.
 */
public final class SourceDirectory implements AutoCloseable {

    private final ReceiverDirectory directory = ReceiverDirectory.open();

    public JdbcStore store() {
        return directory.store();
    }

    public long version() {
        return directory.version();
    }

    /** Creates an active user whose userName is {@code email}; returns its id. */
    public String createUser(String email) {
        return directory.createUser(email, email);
    }

    public String createGroup(String displayName, String... memberIds) {
        return directory.createGroup(displayName, memberIds);
    }

    public void addMember(String groupId, String userId) {
        directory.addMember(groupId, userId);
    }

    public void removeMember(String groupId, String userId) {
        directory.removeMember(groupId, userId);
    }

    public void deactivate(String userId) {
        directory.deactivate(userId);
    }

    /**
     * What a sidecar's index must say about this directory now: per userName, the active flag and
     * the displayNames of the user's groups.
     */
    public Map<String, String> expected() {
        return describe(MembershipIndex.of(directory.store().snapshot(), UserKey.USER_NAME));
    }

    /** Per userName, {@code active [group, ...]} (groups by displayName, sorted): comparable across indexes. */
    public static Map<String, String> describe(MembershipIndex index) {
        Map<String, String> users = new TreeMap<>();
        index.forEachUser(user -> {
            var groups = new TreeSet<String>();
            for (int i = 0; i < user.groupCount(); i++) {
                groups.add(index.displayName(user.groupOrdinal(i)));
            }
            users.put(user.userName(), (user.active() ? "active " : "inactive ") + groups);
        });
        return users;
    }

    @Override
    public void close() {
        directory.close();
    }
}
