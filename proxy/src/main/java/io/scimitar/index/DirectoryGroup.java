package io.scimitar.index;

import java.util.Optional;

/**
 * A directory group as one index version knows it: its dense ordinal, SCIM id, displayName,
 * externalId and how many users are its direct members.
 */
public record DirectoryGroup(int ordinal, String id, String displayName, Optional<String> externalId, int memberCount) {
}
