package io.scimitar.e2e;

import static io.scimitar.e2e.SidecarFixture.ADA;
import static io.scimitar.e2e.SidecarFixture.LINUS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Behind an ALB with OIDC authentication: the sidecar configured with {@code auth.alb-arn} trusts
 * {@code x-amzn-oidc-data} signed by that load balancer's key (fetched by {@code kid} from the key
 * URL) and refuses one whose {@code signer} is another load balancer.
 */
class AlbOidcDataTest {

    static final String ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";

    @RegisterExtension
    static final SidecarFixture STACK = SidecarFixture.standard().with("SCIMITAR_AUTH_ALB_ARN", ARN);

    /**
     * An ALB key is fetched by {@code kid} the first time a header names it; that first request is
     * refused at once (401: no request waits on a key fetch, docs/authentication.md), and the
     * next ones are verified. This waits, bounded, for the fetch the first request started.
     */
    @BeforeAll
    static void theFirstHeaderFetchesTheKey() throws Exception {
        String header = "x-amzn-oidc-data: " + STACK.albOidcData(ARN, ADA);
        assertThat(STACK.get("/api/things", header).status()).isEqualTo(401);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int status;
        while ((status = STACK.get("/api/things", header).status()) == 401 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(status).isEqualTo(200);
        STACK.app().next();
    }

    @Test
    void theAlbsHeaderIdentifiesTheUser() throws Exception {
        var response = STACK.get("/api/things", "x-amzn-oidc-data: " + STACK.albOidcData(ARN, ADA));

        assertThat(response.status()).isEqualTo(200);
        assertThat(STACK.app().next().header("x-scimitar-user")).isEqualTo(ADA);
    }

    @Test
    void aUserTheAlbSignedForButThePolicyDoesNotAllowIs403() throws Exception {
        assertThat(STACK.get("/api/things", "x-amzn-oidc-data: " + STACK.albOidcData(ARN, LINUS)).status())
                .isEqualTo(403);
    }

    @Test
    void anotherLoadBalancersHeaderIs401AndReachesNothing() throws Exception {
        String other = ARN.replace("/web/", "/evil/");

        var response = STACK.get("/api/things", "x-amzn-oidc-data: " + STACK.albOidcData(other, ADA));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers()).containsEntry("www-authenticate", "Bearer error=\"invalid_token\"");
        STACK.assertAppSawNothing();
    }

    @Test
    void bearerTokensStillWorkBesideTheAlb() throws Exception {
        assertThat(STACK.get("/api/things", STACK.bearer(ADA)).status()).isEqualTo(200);
        STACK.app().next();
    }

}
