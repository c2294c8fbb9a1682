package io.scimitar.listen;

import com.nimbusds.jose.jwk.RSAKey;
import io.netty.handler.codec.http.HttpRequest;
import io.scimitar.authn.AuthResult;
import io.scimitar.authn.JwksCache;
import io.scimitar.authn.JwtAuthenticator;
import io.scimitar.authn.KeyServer;
import io.scimitar.authn.RequestAuthenticator;
import io.scimitar.authn.RequestHeaders;
import io.scimitar.authn.TokenExtractor;
import io.scimitar.authn.Tokens;
import io.scimitar.authn.VerifiedToken;
import io.scimitar.authn.VerifiedTokenCache;
import io.scimitar.authz.Decision;
import io.scimitar.authz.Policy;
import io.scimitar.authz.PolicyLoader;
import io.scimitar.forward.ForwardedIdentity;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.UserKey;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.DirectoryService;
import io.scimitar.scim.store.JdbcStore;
import io.scimitar.testing.ReceiverDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real decision's parts for tests that need a directory that changes: a SQLite store written
 * through the SCIM service and followed by the index, RS256 tokens verified against a JWKS served
 * over loopback, a policy that tests may replace, and the {@link AccessDecider} over them.
 */
final class DirectoryFixture implements AutoCloseable {

    final JdbcStore store;
    final DirectoryService scim;
    final DirectoryIndex directory;
    final AtomicReference<Policy> policy;
    final VerifiedTokenCache tokenCache = VerifiedTokenCache.create(1_000, Duration.ofMinutes(10));
    final RequestAuthenticator authenticator;
    final AccessDecider decider;

    private final RSAKey signingKey = Tokens.rsa("rsa-1");
    private final KeyServer keyServer = new KeyServer();
    private final JwksCache jwks;
    private final ReceiverDirectory receiver;

    DirectoryFixture(Path folder, String policyYaml) throws IOException {
        keyServer.publish(List.of(signingKey));
        jwks = JwksCache.builder(keyServer.jwksUrl()).build();
        jwks.refreshNow().join();
        JwtAuthenticator jwt = JwtAuthenticator.builder(jwks).issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).build();
        authenticator = new RequestAuthenticator(TokenExtractor.builder().build(), Optional.of(jwt), Optional.empty(),
                tokenCache);
        receiver = ReceiverDirectory.in(folder.resolve("receiver"));
        store = receiver.store();
        scim = receiver.service();
        directory = DirectoryIndex.follow(store, receiver.view(), UserKey.EMAILS);
        policy = new AtomicReference<>(policy(policyYaml));
        decider = new AccessDecider(policy::get, authenticator, directory);
    }

    /**
     * The request path's check for these tests, built from the decider as production's will be:
     * an allowed user goes on with the claim the directory knows them by, a denial keeps its status.
     */
    AccessCheck accessCheck() {
        return (HttpRequest request, String path) -> {
            RequestHeaders headers = RequestHeaders.of(request.headers());
            Decision decision = decider.decide(headers, request.method().name(), path);
            if (!decision.allowed()) {
                return Verdict.deny(decision.reason().status() == 401
                        ? Verdict.Denial.UNAUTHENTICATED : Verdict.Denial.FORBIDDEN);
            }
            if (decision.user().isEmpty()) {
                return Verdict.allow(new ForwardedIdentity("", "", "", List.of(), decision.directoryVersion()));
            }
            Decision.User user = decision.user().get();
            // A cache hit: the decision above verified this very header.
            AuthResult token = authenticator.authenticate(headers);
            String claim = ((VerifiedToken) token).user();
            return Verdict.allow(new ForwardedIdentity(user.userName(), user.id(), "", List.of(),
                    decision.directoryVersion()), new Verdict.Subject(claim, user.id()));
        };
    }

    /** An {@code Authorization} header value with a fresh token for {@code email}. */
    String bearer(String email) {
        return "Bearer " + Tokens.sign(signingKey, Tokens.claims(Instant.now()).subject("00u-" + email)
                .claim("email", email).build());
    }

    String createUser(String userName, String email) {
        return receiver.createUser(userName, email);
    }

    String createGroup(String displayName, String... memberIds) {
        return receiver.createGroup(displayName, memberIds);
    }

    String createGroup(String displayName, Optional<String> externalId, String... memberIds) {
        return receiver.createGroup(displayName, externalId, List.of(memberIds));
    }

    void deactivate(String userId) {
        receiver.deactivate(userId);
    }

    void removeMember(String groupId, String userId) {
        receiver.removeMember(groupId, userId);
    }

    void setPolicy(String yaml) {
        policy.set(policy(yaml));
    }

    /** Applies the PatchOp {@code operations} (a JSON array literal) to the resource. */
    void patch(ResourceType type, String id, String operations) {
        receiver.patch(type, id, operations);
    }

    private static Policy policy(String yaml) {
        return new PolicyLoader().parse("policy.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        directory.close();
        receiver.close();
        jwks.close();
        keyServer.close();
    }
}
