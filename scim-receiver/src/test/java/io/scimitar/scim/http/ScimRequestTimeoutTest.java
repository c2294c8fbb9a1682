package io.scimitar.scim.http;

import static io.scimitar.scim.http.RunningScimServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.service.ScimResource;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A service call that outlives the request timeout is answered with 503 and Retry-After, not left hanging. */
class ScimRequestTimeoutTest {

    @Test
    void slowServiceCallIsAnswered503() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        InMemoryScimService stuck = new InMemoryScimService() {
            @Override
            public synchronized ScimResource get(ResourceType type, String id, Projection projection) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.get(type, id, projection);
            }
        };
        try (RunningScimServer scim = RunningScimServer.start(stuck, b -> b.requestTimeout(Duration.ofMillis(200)))) {
            HttpResponse<String> response = scim.get("/Users/anyone");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(json(response).path("status").asText()).isEqualTo("503");
            assertThat(scim.get("/ServiceProviderConfig").statusCode()).as("the connection pool still works")
                    .isEqualTo(200);
        } finally {
            release.countDown();
        }
    }
}
