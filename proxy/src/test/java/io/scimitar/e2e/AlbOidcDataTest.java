package io.scimitar.e2e;

import static io.scimitar.e2e.SidecarFixture.ADA;
import static io.scimitar.e2e.SidecarFixture.LINUS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Behind an ALB with OIDC authentication: the sidecar configured with {@code auth.alb-arn} trusts
 * {@code x-amzn-oidc-data} signed by that load balancer's key (fetched by {@code kid} from the key
 * URL) and refuses one whose {@code signer} is another load balancer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlbOidcDataTest {

    static final String ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";

    @RegisterExtension
    static final SidecarFixture STACK = SidecarFixture.standard().with("SCIMITAR_AUTH_ALB_ARN", ARN);

    /**
     * An ALB key is fetched by {@code kid} the first time a header names it; that first request
     * waits for the fetch (nothing else on its connection is read meanwhile) and is then decided,
     * rather than refused for a key that was on its way.
     */
    @Test
    @Order(1)
    void theFirstHeaderNamingANewKeyWaitsForItsFetchAndIsAllowed() throws Exception {
        var response = STACK.get("/api/first", "x-amzn-oidc-data: " + STACK.albOidcData(ARN, ADA));

        assertThat(response.status()).isEqualTo(200);
        assertThat(STACK.app().next().target()).isEqualTo("/api/first");
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
