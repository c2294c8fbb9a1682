package io.scimitar.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.authz.Decision;
import io.scimitar.authz.Route;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.DirectoryUser;
import io.scimitar.index.MembershipIndex;
import io.scimitar.listen.AccessDecider;
import io.scimitar.listen.PathNormalizer;
import java.util.Locale;
import java.util.Objects;

/**
 * The real {@link Explainer}: normalizes the path as the listener would, asks the
 * {@link AccessDecider} for a user already authenticated by the configured claim, and shows the
 * decision with what it rested on (the route, its roles, the user's groups, the directory version).
 */
public final class DecisionExplainer implements Explainer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final AccessDecider decider;
    private final DirectoryIndex directory;
    private final PathNormalizer normalizer;

    public DecisionExplainer(AccessDecider decider, DirectoryIndex directory, PathNormalizer normalizer) {
        this.decider = Objects.requireNonNull(decider, "decider");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    }

    @Override
    public ObjectNode explain(String user, String method, String path) {
        ObjectNode out = NODES.objectNode().put("user", user).put("method", method).put("path", path);
        String upperMethod = method.toUpperCase(Locale.ROOT);
        switch (normalizer.normalize(path)) {
            case PathNormalizer.Rejected rejected -> {
                return out.put("decision", "deny").put("reason", "path_rejected")
                        .put("status", rejected.reason().status()).put("detail", rejected.detail());
            }
            case PathNormalizer.Normalized normalized -> {
                MembershipIndex index = directory.current();
                Decision decision = decider.decideFor(user, upperMethod, normalized.path());
                out.put("normalizedPath", normalized.path())
                        .put("decision", decision.allowed() ? "allow" : "deny")
                        .put("reason", decision.reason().code())
                        .put("status", decision.allowed() ? 200 : decision.reason().status())
                        .put("directoryVersion", decision.directoryVersion());
                decision.route().ifPresent(route -> out.set("route", route(route)));
                index.user(user).ifPresent(found -> out.set("directoryUser", directoryUser(found, index)));
                return out;
            }
        }
    }

    private static ObjectNode route(Route route) {
        ObjectNode node = NODES.objectNode().put("path", route.pattern()).put("line", route.line())
                .put("public", route.isPublic());
        route.methods().forEach(node.putArray("methods")::add);
        route.roles().forEach(node.putArray("allow")::add);
        return node;
    }

    private static ObjectNode directoryUser(DirectoryUser user, MembershipIndex index) {
        ObjectNode node = NODES.objectNode().put("id", user.id()).put("userName", user.userName())
                .put("active", user.active());
        var groups = node.putArray("groups");
        for (int i = 0; i < user.groupCount(); i++) {
            groups.add(index.displayName(user.groupOrdinal(i)));
        }
        return node;
    }
}
