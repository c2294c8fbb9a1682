package io.scimitar.authz;

/**
 * The groups one user is in, as the membership index knows them at one directory version. The
 * index implements it; the {@link Authorizer} only asks.
 */
@FunctionalInterface
public interface GroupMembership {

    /**
     * Whether the user is a member of the group {@code group} refers to. A reference that names no
     * group, or a group the user is not in, is false. Called on the request path: it must not block.
     */
    boolean isMember(GroupRef group);
}
