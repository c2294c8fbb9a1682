package io.scimitar.scim.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Feed tokens only on the feed, SCIM tokens only on SCIM, and 404 when the feed is off. */
class FeedAuthTest {

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "/feed/v1/snapshot, none",
            "/feed/v1/snapshot, Bearer not-the-feed-token-at-all",
            "/feed/v1/snapshot, Bearer " + FeedFixture.SCIM_TOKEN,
            "/feed/v1/snapshot, Basic Zm9vOmJhcg==",
            "/feed/v1/changes?after=0, none",
            "/feed/v1/changes?after=0, Bearer " + FeedFixture.SCIM_TOKEN})
    void answers401WithoutTheFeedToken(String path, String authorization) {
        try (FeedFixture receiver = FeedFixture.start()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(receiver.uri(path)).timeout(Duration.ofSeconds(10));
            Optional.ofNullable(authorization).ifPresent(a -> request.header("Authorization", a));
            HttpResponse<String> response = receiver.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
        }
    }

    @Test
    void theFeedTokenIsRefusedOnScim() {
        try (FeedFixture receiver = FeedFixture.start()) {
            HttpResponse<String> response = receiver.send(HttpRequest.newBuilder(receiver.uri("/scim/v2/Users"))
                    .header("Authorization", "Bearer " + FeedFixture.FEED_TOKEN).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(receiver.scim("GET", "/Users", null).statusCode()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/feed/v1/snapshot", "/feed/v1/changes?after=0", "/feed"})
    void answers404WhenTheFeedIsOff(String path) {
        try (FeedFixture receiver = FeedFixture.withFeed(directory -> Feed.off())) {
            HttpResponse<String> response = receiver.send(receiver.feedRequest(path).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(FeedFixture.json(response.body()).path("detail").asText()).contains("feed is off");
            assertThat(receiver.scim("GET", "/Users", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void unknownFeedPathsAre404AndOtherMethods405() {
        try (FeedFixture receiver = FeedFixture.start()) {
            assertThat(receiver.send(receiver.feedRequest("/feed/v2/snapshot").GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            HttpResponse<String> post = receiver.send(receiver.feedRequest("/feed/v1/snapshot")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        }
    }

    @Test
    void scimAndFeedRequestsShareAConnectionInOrder() {
        try (FeedFixture receiver = FeedFixture.start()) {
            receiver.createUser("ada");
            // Pipelined on one socket: SCIM, feed snapshot, SCIM; the answers must come back in that order.
            String scim = "GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + FeedFixture.SCIM_TOKEN + "\r\n\r\n";
            String feed = "GET /feed/v1/snapshot HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + FeedFixture.FEED_TOKEN + "\r\n\r\n";
            String last = "GET /scim/v2/Users/nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                    + FeedFixture.SCIM_TOKEN + "\r\n\r\n";
            String answer = RawHttp.exchange(receiver.server.port(), scim + feed + last);
            int first = answer.indexOf("HTTP/1.1 200");
            int snapshot = answer.indexOf("X-Scimitar-Version", first);
            int end = answer.indexOf("\"type\":\"end\"", snapshot);
            int notFound = answer.indexOf("HTTP/1.1 404", end);
            assertThat(first).isZero();
            assertThat(snapshot).isPositive();
            assertThat(end).isGreaterThan(snapshot);
            assertThat(notFound).isGreaterThan(end);
        }
    }
}
