package io.scimitar.scim.http;

import static io.scimitar.scim.http.RunningScimServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.schema.ResourceType;
import io.scimitar.scim.service.ListResult;
import io.scimitar.scim.service.Projection;
import io.scimitar.scim.service.ScimResource;
import io.scimitar.scim.service.ScimService;
import io.scimitar.scim.service.SearchRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A service call that outlives the request timeout is answered with 503 and Retry-After, not left hanging. */
class ScimRequestTimeoutTest {

    @Test
    void slowServiceCallIsAnswered503() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        try (RunningScimServer scim = RunningScimServer.start(b -> b.requestTimeout(Duration.ofMillis(200)),
                real -> new GetWaitsForLatch(real, release))) {
            try {
                HttpResponse<String> response = scim.get("/Users/anyone");

                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(json(response).path("status").asText()).isEqualTo("503");
                assertThat(scim.get("/ServiceProviderConfig").statusCode()).as("the connection pool still works")
                        .isEqualTo(200);
            } finally {
                // Before the server closes: it waits for the blocked call to finish.
                release.countDown();
            }
        }
    }

    /**
     * The real directory service, except that {@code get} first waits for a latch. The real service
     * answers from memory in microseconds, so nothing short of holding it back can outlast the
     * request timeout; a latch does that deterministically, without sleeping.
     */
    private record GetWaitsForLatch(ScimService real, CountDownLatch release) implements ScimService {

        @Override
        public ScimResource get(ResourceType type, String id, Projection projection) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real.get(type, id, projection);
        }

        @Override
        public ScimResource create(ResourceType type, ObjectNode body, Projection projection) {
            return real.create(type, body, projection);
        }

        @Override
        public ScimResource replace(ResourceType type, String id, ObjectNode body, Optional<String> ifMatch,
                Projection projection) {
            return real.replace(type, id, body, ifMatch, projection);
        }

        @Override
        public ScimResource patch(ResourceType type, String id, ObjectNode patchOp, Optional<String> ifMatch,
                Projection projection) {
            return real.patch(type, id, patchOp, ifMatch, projection);
        }

        @Override
        public void delete(ResourceType type, String id, Optional<String> ifMatch) {
            real.delete(type, id, ifMatch);
        }

        @Override
        public ListResult search(SearchRequest request) {
            return real.search(request);
        }
    }
}
