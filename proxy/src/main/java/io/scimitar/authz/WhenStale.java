package io.scimitar.authz;

/**
 * What a route does while the directory is stale, i.e. the sidecar has not heard from the feed
 * for longer than the configured bound (issue 4). {@link #DENY} fails closed and is the default.
 */
public enum WhenStale {
    /** Decide from the last directory version received, however old. */
    ALLOW,
    /** Deny with {@link Decision.Reason#STALE_DIRECTORY}. */
    DENY
}
