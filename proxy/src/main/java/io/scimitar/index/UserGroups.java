package io.scimitar.index;

import io.scimitar.authz.GroupMembership;
import io.scimitar.authz.GroupRef;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One directory user's groups as the {@link io.scimitar.authz.Authorizer} asks about them: each
 * question resolves the reference against {@code index}, so it suits explain and tests; the request
 * path resolves a policy's references once per index version instead (see
 * {@link io.scimitar.listen.AccessDecider}).
 *
 * @param index the directory version the user was read from
 * @param user a user of that version
 */
public record UserGroups(MembershipIndex index, DirectoryUser user) implements GroupMembership {

    public UserGroups {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(user, "user");
    }

    @Override
    public boolean isMember(GroupRef group) {
        OptionalInt ordinal = index.groupOrdinal(group);
        return ordinal.isPresent() && index.isMember(user, ordinal.getAsInt());
    }
}
