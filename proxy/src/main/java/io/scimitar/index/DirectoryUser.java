package io.scimitar.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.authz.Decision;
import java.util.Arrays;
import java.util.Optional;

/**
 * A directory user as the sidecar needs it: SCIM id, userName, active flag, primary email and the
 * ordinals of the groups it is a direct member of, sorted so membership is a binary search. Group
 * ordinals are only meaningful with the {@link MembershipIndex} the user came from.
 */
public final class DirectoryUser {

    private static final int[] NO_GROUPS = new int[0];

    private final String id;
    private final String userName;
    private final boolean active;
    private final Optional<String> email;
    private final int[] groups;
    /** The normalized values of the index's configured key, to unfile them when they change. */
    private final String[] keys;
    /** Built once, so that a lookup returns it without allocating. */
    private final Optional<DirectoryUser> self;
    /**
     * This user as a {@link Decision.User}, made on first use so that a decision about a user
     * allocates nothing after the first. Racy single-check: every thread builds an equal value,
     * and Optional's and the record's final fields make a racing read safe.
     */
    private Optional<Decision.User> decisionUser;

    DirectoryUser(String id, String userName, boolean active, Optional<String> email, int[] groups, String[] keys) {
        this.id = id;
        this.userName = userName;
        this.active = active;
        this.email = email;
        this.groups = groups.length == 0 ? NO_GROUPS : groups;
        this.keys = keys;
        this.self = Optional.of(this);
    }

    /** The user a stored SCIM resource describes, filed under {@code key}, with the given sorted groups. */
    static DirectoryUser fromScim(ObjectNode user, UserKey key, int[] groups) {
        return new DirectoryUser(user.path("id").asText(), user.path("userName").asText(), isActive(user),
                primaryEmail(user), groups, key.keysOf(user));
    }

    /** The new state of {@code previous} from its stored SCIM resource: same id instance, same groups. */
    static DirectoryUser fromScim(ObjectNode user, UserKey key, DirectoryUser previous) {
        return new DirectoryUser(previous.id, user.path("userName").asText(), isActive(user),
                primaryEmail(user), previous.groups, key.keysOf(user));
    }

    /** As the receiver decides: a user without a boolean {@code active} is active; only {@code false} offboards. */
    private static boolean isActive(ObjectNode user) {
        JsonNode active = user.get("active");
        return active == null || !active.isBoolean() || active.booleanValue();
    }

    /** RFC 7643 §2.4: the value marked primary, else the first one. */
    private static Optional<String> primaryEmail(ObjectNode user) {
        String first = null;
        for (JsonNode email : user.path("emails")) {
            JsonNode value = email.get("value");
            if (value == null || !value.isTextual()) {
                continue;
            }
            if (email.path("primary").asBoolean(false)) {
                return Optional.of(value.textValue());
            }
            if (first == null) {
                first = value.textValue();
            }
        }
        return Optional.ofNullable(first);
    }

    public String id() {
        return id;
    }

    public String userName() {
        return userName;
    }

    /** False once the IdP deactivated the user: the user exists but every request is denied. */
    public boolean active() {
        return active;
    }

    /** The primary email, else the first one, if the user has any. */
    public Optional<String> email() {
        return email;
    }

    public int groupCount() {
        return groups.length;
    }

    /** The {@code i}-th group ordinal in ascending order. */
    public int groupOrdinal(int i) {
        return groups[i];
    }

    /** A copy of the sorted group ordinals. */
    public int[] groupOrdinals() {
        return groups.clone();
    }

    /** Whether the user is a direct member of the group with this ordinal (binary search, no allocation). */
    public boolean isMemberOf(int groupOrdinal) {
        return Arrays.binarySearch(groups, groupOrdinal) >= 0;
    }

    /** This user as a decision names it, the same instance on every call after the first. */
    public Optional<Decision.User> asDecisionUser() {
        Optional<Decision.User> user = decisionUser;
        if (user == null) {
            user = Optional.of(new Decision.User(id, userName));
            decisionUser = user;
        }
        return user;
    }

    Optional<DirectoryUser> asOptional() {
        return self;
    }

    String[] keys() {
        return keys;
    }

    DirectoryUser withGroups(int[] newGroups) {
        return new DirectoryUser(id, userName, active, email, newGroups, keys);
    }

    /** The same user with {@code ordinal} added to its groups (sorted), or this user if already there. */
    DirectoryUser joining(int ordinal) {
        int at = Arrays.binarySearch(groups, ordinal);
        if (at >= 0) {
            return this;
        }
        int insert = -at - 1;
        int[] next = new int[groups.length + 1];
        System.arraycopy(groups, 0, next, 0, insert);
        next[insert] = ordinal;
        System.arraycopy(groups, insert, next, insert + 1, groups.length - insert);
        return withGroups(next);
    }

    /** The same user without {@code ordinal} in its groups, or this user if not there. */
    DirectoryUser leaving(int ordinal) {
        int at = Arrays.binarySearch(groups, ordinal);
        if (at < 0) {
            return this;
        }
        int[] next = new int[groups.length - 1];
        System.arraycopy(groups, 0, next, 0, at);
        System.arraycopy(groups, at + 1, next, at, groups.length - at - 1);
        return withGroups(next);
    }

    /** Whether a token that matched {@code other} would be identified the same way by this user. */
    boolean sameIdentity(DirectoryUser other) {
        return active == other.active && userName.equals(other.userName) && email.equals(other.email)
                && Arrays.equals(keys, other.keys);
    }

    @Override
    public String toString() {
        return "DirectoryUser[id=" + id + ", userName=" + userName + ", active=" + active
                + ", groups=" + Arrays.toString(groups) + "]";
    }
}
