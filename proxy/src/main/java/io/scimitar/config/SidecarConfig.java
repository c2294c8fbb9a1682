package io.scimitar.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated keys of the sidecar: where it listens, where the app is, the policy file, how
 * tokens are verified and matched to directory users, TLS, limits and timeouts. Each value is
 * checked on its own by {@link ConfigLoader}; {@link #requireComplete()} checks that together
 * they make a sidecar that can run.
 *
 * @param listen            {@code listen}, the inbound address
 * @param adminListen       {@code admin.listen}: health, readiness, metrics, explain
 * @param upstream          {@code upstream}, the app, e.g. {@code http://127.0.0.1:8080}
 * @param policy            {@code policy}, the policy file
 * @param jwksUrl           {@code auth.jwks-url}, the IdP's JSON Web Key Set
 * @param issuer            {@code auth.issuer}, the required {@code iss}
 * @param audience          {@code auth.audience}, a required {@code aud} value
 * @param userClaim         {@code auth.user-claim}, the claim naming the user
 * @param userAttribute     {@code auth.user-attribute}, the SCIM attribute that claim is matched against
 * @param cookie            {@code auth.cookie}, a cookie that may carry the token
 * @param albArn            {@code auth.alb-arn}, the load balancer whose {@code x-amzn-oidc-data} is trusted
 * @param albKeyUrl         {@code auth.alb-key-url}, where the ALB's public keys are fetched by {@code kid}
 * @param tlsCert           {@code tls.cert}, a PEM certificate chain (with {@code tls.key}, serves TLS)
 * @param tlsKey            {@code tls.key}, the PEM private key of {@code tls.cert}
 * @param maxBodyBytes      {@code max-body-bytes}, the largest request body forwarded
 * @param connectTimeout    {@code timeouts.connect}, to the app
 * @param responseHeadersTimeout {@code timeouts.response-headers}, from the request's end to the app's answer
 * @param idleTimeout       {@code timeouts.idle}, of a client connection with nothing in flight
 * @param drainTimeout      {@code drain-timeout}, how long in-flight requests may finish after SIGTERM
 */
public record SidecarConfig(
        ListenAddress listen,
        ListenAddress adminListen,
        Optional<URI> upstream,
        Optional<Path> policy,
        Optional<URI> jwksUrl,
        Optional<String> issuer,
        Optional<String> audience,
        String userClaim,
        String userAttribute,
        Optional<String> cookie,
        Optional<String> albArn,
        Optional<URI> albKeyUrl,
        Optional<Path> tlsCert,
        Optional<Path> tlsKey,
        long maxBodyBytes,
        Duration connectTimeout,
        Duration responseHeadersTimeout,
        Duration idleTimeout,
        Duration drainTimeout) {

    public static final String DEFAULT_ADMIN_LISTEN = "127.0.0.1:9901";
    public static final String DEFAULT_USER_CLAIM = "email";
    public static final String DEFAULT_USER_ATTRIBUTE = "userName";
    /** The SCIM attributes a token's user claim can be matched against. */
    public static final List<String> USER_ATTRIBUTES = List.of("userName", "externalId", "emails", "id");
    public static final long DEFAULT_MAX_BODY_BYTES = 10L << 20;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RESPONSE_HEADERS_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** ECS waits 30 s (the task's stopTimeout) between SIGTERM and SIGKILL; this leaves room to exit. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(20);

    public SidecarConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(adminListen, "adminListen");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(jwksUrl, "jwksUrl");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(userClaim, "userClaim");
        Objects.requireNonNull(userAttribute, "userAttribute");
        Objects.requireNonNull(cookie, "cookie");
        Objects.requireNonNull(albArn, "albArn");
        Objects.requireNonNull(albKeyUrl, "albKeyUrl");
        Objects.requireNonNull(tlsCert, "tlsCert");
        Objects.requireNonNull(tlsKey, "tlsKey");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseHeadersTimeout, "responseHeadersTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    /** Whether tokens are verified against an IdP's JWKS. */
    public boolean idpJwt() {
        return jwksUrl.isPresent();
    }

    /** Whether the ALB's {@code x-amzn-oidc-data} header is verified. */
    public boolean albOidc() {
        return albArn.isPresent();
    }

    /**
     * Refuses a sidecar that could not decide: no app, no policy, no way to verify a token, or a
     * token source without the checks that make it safe (a JWT without {@code iss}/{@code aud}
     * checks would accept tokens the IdP minted for any other application). Fails closed, at start.
     */
    public SidecarConfig requireComplete() {
        List<String> missing = new ArrayList<>();
        if (upstream.isEmpty()) {
            missing.add(ConfigKey.UPSTREAM.display() + " (the app, e.g. http://127.0.0.1:8080)");
        }
        if (policy.isEmpty()) {
            missing.add(ConfigKey.POLICY.display() + " (the policy file)");
        }
        if (!idpJwt() && !albOidc()) {
            missing.add(ConfigKey.AUTH_JWKS_URL.display() + " or " + ConfigKey.AUTH_ALB_ARN.display()
                    + " (how tokens are verified)");
        }
        if (idpJwt() && issuer.isEmpty()) {
            missing.add(ConfigKey.AUTH_ISSUER.display() + " (the iss every token must carry)");
        }
        if (idpJwt() && audience.isEmpty()) {
            missing.add(ConfigKey.AUTH_AUDIENCE.display() + " (an aud every token must carry)");
        }
        if (albOidc() && albKeyUrl.isEmpty()) {
            missing.add(ConfigKey.AUTH_ALB_KEY_URL.display()
                    + " (e.g. https://public-keys.auth.elb.eu-west-1.amazonaws.com)");
        }
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            missing.add(tlsCert.isPresent() ? ConfigKey.TLS_KEY.display() + " (tls.cert is set)"
                    : ConfigKey.TLS_CERT.display() + " (tls.key is set)");
        }
        if (!missing.isEmpty()) {
            throw new ConfigException("the sidecar cannot start: set " + String.join("; ", missing));
        }
        return this;
    }
}
