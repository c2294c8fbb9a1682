package io.scimitar.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A group inside one index version: its identity and its direct user members as a persistent set
 * (user id → the same id), so adding one member to a group of 50,000 copies a few trie nodes.
 *
 * @param externalId null when the group has none (internal only)
 */
record GroupEntry(String id, String displayName, String externalId, HashTrie<String, String> members) {

    /** The group a stored SCIM resource (without members) describes, with the given members. */
    static GroupEntry fromScim(ObjectNode group, HashTrie<String, String> members) {
        JsonNode externalId = group.get("externalId");
        return new GroupEntry(group.path("id").asText(), group.path("displayName").asText(),
                externalId != null && externalId.isTextual() ? externalId.textValue() : null, members);
    }

    /** The displayName as {@link io.scimitar.authz.GroupRef.ByDisplayName#folded()} files it: lower-cased in {@link Locale#ROOT}. */
    String displayNameKey() {
        return displayName.toLowerCase(Locale.ROOT);
    }

    GroupEntry withMembers(HashTrie<String, String> newMembers) {
        return new GroupEntry(id, displayName, externalId, newMembers);
    }

    /** Whether a policy reference could resolve differently: the displayName or externalId changed. */
    boolean sameIdentity(GroupEntry other) {
        return displayName.equals(other.displayName) && Objects.equals(externalId, other.externalId);
    }

    DirectoryGroup describe(int ordinal) {
        return new DirectoryGroup(ordinal, id, displayName, Optional.ofNullable(externalId), members.size());
    }
}
