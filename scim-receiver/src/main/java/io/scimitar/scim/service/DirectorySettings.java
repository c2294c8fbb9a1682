package io.scimitar.scim.service;

/**
 * Settings of the {@link DirectoryService}, validated once.
 *
 * @param groupDisplayNameUnique whether two groups may share a displayName (compared case-insensitively)
 * @param maxResults             the largest page a query returns (RFC 7644 §3.4.2.4 lets the server cap it)
 */
public record DirectorySettings(boolean groupDisplayNameUnique, int maxResults) {

    public static final DirectorySettings DEFAULT = new DirectorySettings(true, 1000);

    public DirectorySettings {
        if (maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be at least 1, was " + maxResults);
        }
    }
}
