package io.scimitar.listen;

import io.netty.handler.codec.http.HttpRequest;
import io.scimitar.admin.SidecarMetrics;
import io.scimitar.authn.RequestHeaders;
import io.scimitar.authz.Decision;
import io.scimitar.forward.ForwardedIdentity;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.DirectoryUser;
import io.scimitar.index.MembershipIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request path's {@link AccessCheck}: the {@link AccessDecider}'s decision, counted in the
 * metrics, written as one audit line, and turned into what the gate does with it (forward as the
 * verified identity, or answer 401/403/503 without saying why).
 */
public final class DecisionCheck implements AccessCheck {

    private final AccessDecider decider;
    private final DirectoryIndex directory;
    private final SidecarMetrics metrics;
    private final AuditLog audit;
    private static final Verdict PUBLIC = Verdict.allow(ForwardedIdentity.ANONYMOUS);
    private static final Verdict UNAUTHENTICATED = Verdict.deny(Verdict.Denial.UNAUTHENTICATED);
    private static final Verdict FORBIDDEN = Verdict.deny(Verdict.Denial.FORBIDDEN);
    private static final Verdict UNAVAILABLE = Verdict.deny(Verdict.Denial.UNAVAILABLE);
    /** The allowed users' verdicts at the current directory version; replaced whole when the version changes. */
    private volatile Identities identities;

    public DecisionCheck(AccessDecider decider, DirectoryIndex directory, SidecarMetrics metrics, AuditLog audit) {
        this.decider = Objects.requireNonNull(decider, "decider");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public Verdict check(HttpRequest request, String normalizedPath) {
        long start = System.nanoTime();
        String method = request.method().name();
        RequestHeaders headers = RequestHeaders.of(request.headers());
        Decision decision = decider.decide(headers, method, normalizedPath);
        if (decision.reason() == Decision.Reason.INVALID_TOKEN) {
            CompletableFuture<?> keyFetch = decider.keyArrival(headers);
            if (keyFetch != null) {
                return new Verdict.Pending(keyFetch); // decided (and audited) when the key is there
            }
        }
        Verdict verdict = verdict(decision);
        metrics.recordDecision(decision, System.nanoTime() - start);
        audit.record(decision, method, normalizedPath);
        return verdict;
    }

    private Verdict verdict(Decision decision) {
        return switch (decision.reason()) {
            case PUBLIC_ROUTE -> PUBLIC;
            case ALLOWED_BY_ROLE -> allowed(decision);
            case NO_TOKEN, INVALID_TOKEN -> UNAUTHENTICATED;
            case STALE_DIRECTORY -> UNAVAILABLE;
            case NO_ROUTE, NO_MATCHING_ROLE, UNKNOWN_USER, INACTIVE_USER -> FORBIDDEN;
        };
    }

    /**
     * The verdict of an allowed user: the identity the app receives and the subject an open
     * connection is checked again as, read from the directory version the decision was made
     * against or a later one; a denial (fail closed) if the user was deleted or deactivated since.
     * Built once per (user, directory version) and reused: most requests come from users who
     * made one a moment ago.
     */
    private Verdict allowed(Decision decision) {
        MembershipIndex index = directory.current();
        Identities table = identities;
        if (table == null || table.index != index) {
            table = new Identities(index); // racing threads build equal tables; the last write wins
            identities = table;
        }
        Optional<DirectoryUser> found = decision.user().flatMap(user -> index.userById(user.id()));
        if (found.isEmpty() || !found.get().active()) {
            return FORBIDDEN;
        }
        DirectoryUser user = found.get();
        Verdict verdict = table.byUser.get(user);
        if (verdict == null) {
            verdict = build(user, index);
            table.byUser.putIfAbsent(user, verdict);
        }
        return verdict;
    }

    private static Verdict build(DirectoryUser user, MembershipIndex index) {
        List<String> groups = new ArrayList<>(user.groupCount());
        for (int i = 0; i < user.groupCount(); i++) {
            groups.add(index.displayName(user.groupOrdinal(i)));
        }
        var identity = new ForwardedIdentity(user.userName(), user.id(), user.email().orElse(""), groups,
                index.version());
        String claim = index.claimValue(user);
        return claim == null ? Verdict.allow(identity) : Verdict.allow(identity, new Verdict.Subject(claim, user.id()));
    }

    /** The verdicts built for one directory version, by user (identity-keyed: each version's users are its own). */
    private static final class Identities {
        final MembershipIndex index;
        final Map<DirectoryUser, Verdict> byUser = new ConcurrentHashMap<>();

        Identities(MembershipIndex index) {
            this.index = index;
        }
    }
}
