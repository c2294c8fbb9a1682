package io.scimitar.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.RSAKey;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.scimitar.authn.JwksCache;
import io.scimitar.authn.JwtAuthenticator;
import io.scimitar.authn.KeyServer;
import io.scimitar.authn.RequestAuthenticator;
import io.scimitar.authn.RequestHeaders;
import io.scimitar.authn.TokenExtractor;
import io.scimitar.authn.Tokens;
import io.scimitar.authn.VerifiedTokenCache;
import io.scimitar.authz.Decision;
import io.scimitar.authz.Policy;
import io.scimitar.authz.PolicyLoader;
import io.scimitar.authz.Route;
import io.scimitar.index.DirectoryIndex;
import io.scimitar.index.DirectoryUser;
import io.scimitar.index.IndexBuilder;
import io.scimitar.index.MembershipIndex;
import io.scimitar.index.UserKey;
import io.scimitar.listen.AccessDecider;
import io.scimitar.scim.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The request path's decision on a verified-token cache hit, and its two lookups alone. The state is
 * assembled as the sidecar assembles it: a directory of 10,000 users in 200 groups loaded into the
 * index from SCIM resources (as a snapshot load does), a 20-route policy parsed from YAML, RS256
 * tokens verified once against a JWKS served over loopback, then answered from the token cache.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class DecisionBenchmark {

    static final int USERS = 10_000;
    static final int GROUPS = 200;
    /** Each user is in this many groups (spread evenly), about a typical workforce IdP's count. */
    static final int GROUPS_PER_USER = 8;
    /** The user whose requests are measured; the route it hits is the policy's 17th (a late match). */
    static final String EMAIL = "user4242@example.com";
    static final String PATH = "/svc16/items/42";

    private KeyServer keyServer;
    private JwksCache jwks;
    private DirectoryIndex directory;
    private Policy policy;
    private AccessDecider decider;
    private RequestHeaders headers;
    private RequestHeaders nettyHeaders;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        RSAKey key = Tokens.rsa("bench-1");
        keyServer = new KeyServer();
        keyServer.publish(List.of(key));
        jwks = JwksCache.builder(keyServer.jwksUrl()).build();
        jwks.refreshNow().join();
        JwtAuthenticator jwt = JwtAuthenticator.builder(jwks).issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).build();
        RequestAuthenticator authenticator = new RequestAuthenticator(TokenExtractor.builder().build(),
                Optional.of(jwt), Optional.empty(), VerifiedTokenCache.create(VerifiedTokenCache.DEFAULT_MAXIMUM_SIZE,
                        VerifiedTokenCache.DEFAULT_MAXIMUM_LIFETIME));

        directory = new DirectoryIndex(directoryOf(USERS, GROUPS));
        policy = new PolicyLoader().parse("policy.yaml", policyYaml().getBytes(StandardCharsets.UTF_8));
        decider = new AccessDecider(() -> policy, authenticator, directory);

        // Two views of the same request: a ready list (the header step alone costs nothing), and the
        // pipeline's adapter over the headers Netty's HTTP/1.1 decoder fills, with a browser's usual set.
        // An hour's lifetime: the token cache keeps answering for the whole run.
        Instant now = Instant.now();
        String authorization = "Bearer " + Tokens.sign(key, Tokens.claims(now).subject("00u4242").claim("email", EMAIL)
                .expirationTime(Date.from(now.plus(Duration.ofHours(1)))).build());
        List<String> authorizationValues = List.of(authorization);
        headers = name -> name.equalsIgnoreCase("authorization") ? authorizationValues : List.of();
        HttpHeaders parsed = new DefaultHttpHeaders()
                .add(HttpHeaderNames.HOST, "app.example.test")
                .add(HttpHeaderNames.USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                .add(HttpHeaderNames.ACCEPT, "application/json")
                .add(HttpHeaderNames.ACCEPT_ENCODING, "gzip, deflate, br")
                .add(HttpHeaderNames.AUTHORIZATION, authorization)
                .add("x-request-id", "5f0c2a3e-8d1b-4c7a-9e2f-1b3d5a7c9e0f");
        nettyHeaders = RequestHeaders.of(parsed);

        decider.decide(headers, "GET", PATH); // verifies once and fills the token cache
        for (RequestHeaders view : List.of(headers, nettyHeaders)) {
            Decision hit = decider.decide(view, "GET", PATH);
            if (hit.reason() != Decision.Reason.ALLOWED_BY_ROLE) {
                throw new IllegalStateException("the benchmark's request should be allowed, got " + hit);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        jwks.close();
        keyServer.close();
    }

    /** Route match, token-cache hit, user lookup, group check, Decision: the whole fast path. */
    @Benchmark
    public Decision decisionOnTokenCacheHit() {
        return decider.decide(headers, "GET", PATH);
    }

    /** The same decision with the request's headers read through the pipeline's Netty adapter. */
    @Benchmark
    public Decision decisionOnTokenCacheHitNettyHeaders() {
        return decider.decide(nettyHeaders, "GET", PATH);
    }

    /** The compiled route table alone. */
    @Benchmark
    public Optional<Route> routeMatch() {
        return policy.match("GET", PATH);
    }

    /** The directory lookup alone: the user by its email claim, then one membership test. */
    @Benchmark
    public boolean indexLookup() {
        MembershipIndex index = directory.current();
        Optional<DirectoryUser> user = index.user(EMAIL);
        return user.isPresent() && user.get().isMemberOf(17);
    }

    /** Users {@code user<i>@example.com}; user i is in groups i, i+25, i+50, ... (mod the group count). */
    static MembershipIndex directoryOf(int users, int groups) {
        IndexBuilder builder = new IndexBuilder(UserKey.EMAILS);
        for (int i = 0; i < users; i++) {
            ObjectNode user = Json.object();
            user.put("id", "u-" + i).put("userName", "user" + i).put("active", true);
            user.putArray("emails").addObject().put("value", "user" + i + "@example.com").put("primary", true);
            builder.user(user);
        }
        for (int g = 0; g < groups; g++) {
            ObjectNode group = Json.object();
            group.put("id", "g-" + g).put("displayName", "group-" + g).put("externalId", "00g" + g);
            builder.group(group);
        }
        int stride = groups / GROUPS_PER_USER;
        for (int i = 0; i < users; i++) {
            for (int k = 0; k < GROUPS_PER_USER; k++) {
                builder.member("g-" + ((i + k * stride) % groups), "u-" + i, "User");
            }
        }
        return builder.build(1);
    }

    /** 20 routes, each allowing one role of three groups; user 4242's groups meet route 16's role. */
    static String policyYaml() {
        StringBuilder yaml = new StringBuilder("roles:\n");
        for (int r = 0; r < 20; r++) {
            yaml.append("  role").append(r).append(": [group-").append(r + 100).append(", \"id:g-").append(r + 150)
                    .append("\", \"externalId:00g").append(r + 1).append("\"]\n");
        }
        yaml.append("routes:\n  - path: /healthz\n    public: true\n");
        for (int r = 0; r < 19; r++) {
            yaml.append("  - path: /svc").append(r).append("/**\n    methods: [GET, POST]\n    allow: [role")
                    .append(r).append("]\n");
        }
        return yaml.toString();
    }
}
