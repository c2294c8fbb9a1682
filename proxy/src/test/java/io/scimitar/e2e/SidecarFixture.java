package io.scimitar.e2e;

import io.scimitar.testing.RawClient;
import io.scimitar.testing.RecordingApp;
import java.security.interfaces.ECPublicKey;

import com.nimbusds.jose.crypto.ECDSASigner;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.scimitar.authn.KeyServer;
import io.scimitar.authn.Tokens;
import io.scimitar.cli.ReceiverLauncher;
import io.scimitar.cli.RunningSidecar;
import io.scimitar.cli.SidecarLauncher;
import io.scimitar.config.ConfigLoader;
import io.scimitar.config.Profile;
import io.scimitar.scim.http.RunningScimServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole stack on loopback, started once per test class (register it as a static
 * {@code @RegisterExtension}) or per test (try-with-resources around {@link #start()}): a
 * {@link RecordingApp}, an identity provider serving a real RSA and a real EC key as a JWKS, the
 * sidecar built from environment variables exactly as {@code scimitar proxy} builds it, with its
 * embedded SCIM receiver, and a directory provisioned through that receiver's HTTP API.
 *
 * <p>The directory: {@link #ADA} in {@code eng} (role engineers), {@link #GRACE} in
 * {@code platform-admins} (role admins), {@link #LINUS} in {@code sales} (no role), {@link #KEN}
 * inactive in {@code eng}. Each user's externalId is {@code 00u-NAME} and work email
 * {@code NAME.work@mail.example}, so every user attribute can be matched on its own.
 */
final class SidecarFixture implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    static final String SCIM_TOKEN = "e2e-scim-token-0123456789abcdef";
    static final String ADA = "ada@example.com";
    static final String GRACE = "grace@example.com";
    static final String LINUS = "linus@example.com";
    static final String KEN = "ken@example.com";
    static final String COOKIE = "scimitar_token";

    static final String POLICY = """
            roles:
              engineers: [eng]
              admins: [platform-admins]
            routes:
              - path: /healthz
                public: true
              - path: /public/**
                public: true
              - path: /admin/**
                allow: [admins]
              - path: /api/**
                methods: [GET, HEAD]
                allow: [engineers, admins]
              - path: /api/**
                allow: [admins]
            """;

    private final Map<String, String> overrides;
    private final AtomicInteger markers = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private final RSAKey rsaKey = Tokens.rsa("rsa-e2e");
    private final ECKey ecKey = Tokens.ec("ec-e2e");
    private final ECKey albKey = Tokens.ec("6c1f9b2e-4d3a-4b8e-9f7a-2a1b3c4d5e6f");
    private final Map<String, String> userIds = new HashMap<>();
    private final Map<String, String> groupIds = new HashMap<>();
    private Path dir;
    private RecordingApp app;
    private KeyServer idp;
    private RunningSidecar sidecar;
    private ScimClient scim;

    private SidecarFixture(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    /** The default stack: the policy above, the cookie {@link #COOKIE}, users matched by userName from {@code email}. */
    static SidecarFixture standard() {
        return new SidecarFixture(Map.of());
    }

    /** The same stack with one more (or a different) {@code SCIMITAR_*} environment variable. */
    SidecarFixture with(String envVar, String value) {
        var next = new HashMap<>(overrides);
        next.put(envVar, value);
        return new SidecarFixture(next);
    }

    /** Starts everything and provisions the directory; returns once {@code /readyz} says ready. */
    SidecarFixture start() {
        try {
            dir = Files.createTempDirectory("scimitar-e2e");
            app = new RecordingApp();
            idp = new KeyServer();
            idp.publish(List.of(rsaKey, ecKey));
            idp.publishAlbKey(albKey.getKeyID(), albPublicKey());
            Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
            var env = new HashMap<String, String>();
            env.put("SCIMITAR_LISTEN", "127.0.0.1:0");
            env.put("SCIMITAR_ADMIN_LISTEN", "127.0.0.1:0");
            env.put("SCIMITAR_SCIM_LISTEN", "127.0.0.1:0");
            env.put("SCIMITAR_SCIM_TOKEN", SCIM_TOKEN);
            env.put("SCIMITAR_STORE", "sqlite:" + dir.resolve("directory.db"));
            env.put("SCIMITAR_UPSTREAM", "http://127.0.0.1:" + app.port());
            env.put("SCIMITAR_POLICY", policy.toString());
            env.put("SCIMITAR_AUTH_JWKS_URL", idp.jwksUrl().toString());
            env.put("SCIMITAR_AUTH_ISSUER", Tokens.ISSUER);
            env.put("SCIMITAR_AUTH_AUDIENCE", Tokens.AUDIENCE);
            env.put("SCIMITAR_AUTH_COOKIE", COOKIE);
            env.putAll(overrides);
            if (overrides.containsKey("SCIMITAR_AUTH_ALB_ARN")) {
                env.putIfAbsent("SCIMITAR_AUTH_ALB_KEY_URL", idp.albKeyBaseUrl().toString()); // the ALB's keys, here too
            }
            var config = new ConfigLoader(env).load(Optional.empty(), Profile.PROXY);
            sidecar = new SidecarLauncher(ReceiverLauncher::openJdbc).start(config, List.of());
            scim = new ScimClient(sidecar.receiver().orElseThrow().scimUrl(), SCIM_TOKEN);
            provision();
            awaitReady();
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void provision() {
        for (String name : List.of(ADA, GRACE, LINUS, KEN)) {
            String local = name.substring(0, name.indexOf('@'));
            userIds.put(name, scim.createUser(name, Optional.of("00u-" + local), local + ".work@mail.example",
                    !name.equals(KEN)));
        }
        groupIds.put("eng", scim.createGroup("eng", userIds.get(ADA), userIds.get(KEN)));
        groupIds.put("platform-admins", scim.createGroup("platform-admins", userIds.get(GRACE)));
        groupIds.put("sales", scim.createGroup("sales", userIds.get(LINUS)));
    }

    /** The JWKS is fetched in the background at start; the first request must not race it. */
    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (admin("/readyz").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the sidecar was not ready within 10 s: " + admin("/readyz").body());
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    RunningSidecar sidecar() {
        return sidecar;
    }

    int port() {
        return sidecar.port();
    }

    RecordingApp app() {
        return app;
    }

    ScimClient scim() {
        return scim;
    }

    String userId(String userName) {
        return userIds.get(userName);
    }

    String groupId(String displayName) {
        return groupIds.get(displayName);
    }

    RSAKey rsaKey() {
        return rsaKey;
    }

    /** Claims that pass every check, naming {@code user} in the configured user claim. */
    JWTClaimsSet.Builder claims(String user) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(Tokens.ISSUER)
                .audience(Tokens.AUDIENCE)
                .subject("00u-subject")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim(overrides.getOrDefault("SCIMITAR_AUTH_USER_CLAIM", "email"), user);
    }

    /** A valid RS256 token for {@code user}. */
    String token(String user) {
        return Tokens.sign(rsaKey, claims(user).build());
    }

    private ECPublicKey albPublicKey() {
        try {
            return albKey.toECPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The identity provider's key endpoint, to publish or withdraw keys while the sidecar runs. */
    KeyServer idp() {
        return idp;
    }

    /**
     * An {@code x-amzn-oidc-data} value for {@code user} as an ALB builds it: ES256 with the
     * fixture's ALB key, {@code signer} naming {@code loadBalancerArn}, segments base64url with
     * padding (the ALB's quirk).
     */
    String albOidcData(String loadBalancerArn, String user) {
        long exp = Instant.now().plusSeconds(120).getEpochSecond();
        String header = "{\"alg\":\"ES256\",\"kid\":\"" + albKey.getKeyID() + "\",\"signer\":\"" + loadBalancerArn
                + "\",\"iss\":\"https://idp.example.test\",\"client\":\"3pdqc2n1vv5kib4sm9o\",\"exp\":" + exp + "}";
        String payload = "{\"sub\":\"00u1abcd\",\"email\":\"" + user + "\",\"exp\":" + exp
                + ",\"iss\":\"https://idp.example.test\"}";
        Base64.Encoder padded = Base64.getUrlEncoder();
        String input = padded.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + padded.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            byte[] signature = new ECDSASigner(albKey).sign(new JWSHeader(JWSAlgorithm.ES256),
                    input.getBytes(StandardCharsets.US_ASCII)).decode();
            return input + "." + padded.encodeToString(signature);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid ES256 token for {@code user}. */
    String ecToken(String user) {
        return Tokens.sign(ecKey, claims(user).build());
    }

    /** The {@code Authorization} header line carrying a valid RS256 token for {@code user}. */
    String bearer(String user) {
        return "Authorization: Bearer " + token(user);
    }

    /** {@code claims} signed with the published RSA key under {@code header}, whatever that header says. */
    String signRs256(JWSHeader.Builder header, JWTClaimsSet claims) {
        try {
            return Tokens.sign(header.build(), claims, new RSASSASigner(rsaKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RS256 header naming the published RSA key. */
    JWSHeader.Builder rs256Header() {
        return Tokens.header(JWSAlgorithm.RS256, rsaKey.getKeyID());
    }

    RawClient connect() throws IOException {
        return new RawClient(sidecar.port());
    }

    /** One request on a fresh connection. */
    RawClient.Response send(String request) throws IOException {
        try (RawClient client = connect()) {
            return client.exchange(request);
        }
    }

    /** A GET of {@code target} with these header lines, on a fresh connection. */
    RawClient.Response get(String target, String... headers) throws IOException {
        return send(RawClient.get(target, List.of(headers)));
    }

    /**
     * Asserts the app received nothing the test did not take yet: a marker request on a public
     * route goes through the sidecar, and it must be the next thing the app saw.
     */
    void assertAppSawNothing() throws IOException, InterruptedException {
        String marker = "/healthz?marker=" + markers.incrementAndGet();
        assertThat(get(marker).status()).isEqualTo(200);
        assertThat(app.next().target()).as("the app's next request is the marker, nothing before it")
                .isEqualTo(marker);
    }

    /** A GET on the admin listener. */
    HttpResponse<String> admin(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sidecar.adminUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build();
        return RunningScimServer.send(http, request, HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the sidecar (draining), the app and the IdP, and deletes the store. Safe to call twice. */
    @Override
    public void close() {
        if (app != null) {
            app.close(); // first: a request it still holds would otherwise keep the drain waiting
        }
        if (sidecar != null) {
            sidecar.close();
        }
        if (idp != null) {
            idp.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
