package io.scimitar.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Answers {@code /explain?user=&method=&path=}: what the sidecar would decide for that user on that
 * request, as JSON. The real one comes with the pipeline (it runs the authorizer against the
 * current policy and directory); tests use a small fixed one. Runs on the admin event loop: it
 * must only read in-memory state.
 */
@FunctionalInterface
public interface Explainer {

    /** The explanation for one hypothetical request; never null. */
    ObjectNode explain(String user, String method, String path);
}
