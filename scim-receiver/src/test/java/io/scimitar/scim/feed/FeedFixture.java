package io.scimitar.scim.feed;

import com.fasterxml.jackson.databind.JsonNode;
import io.scimitar.scim.http.BearerTokens;
import io.scimitar.scim.http.RunningScimServer;
import io.scimitar.scim.http.ScimServer;
import io.scimitar.scim.http.ScimServerSettings;
import io.scimitar.scim.json.Json;
import io.scimitar.scim.store.Directory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real receiver for feed tests: a SQLite directory in a temporary folder, the SCIM server on a
 * loopback port with the feed mounted, and an HTTP/1.1 client for both.
 */
final class FeedFixture implements AutoCloseable {

    static final String SCIM_TOKEN = "scim-token-5f1c0d2e9a77";
    static final String FEED_TOKEN = "feed-token-8b3e41c07d12";

    final Path folder;
    final Directory directory;
    final Feed feed;
    final ScimServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private FeedFixture(Path folder, Directory directory, Feed feed, ScimServer server) {
        this.folder = folder;
        this.directory = directory;
        this.feed = feed;
        this.server = server;
    }

    static FeedFixture start(UnaryOperator<FeedSettings.Builder> settings) {
        return withFeed(directory -> Feed.on(settings.apply(FeedSettings.builder(BearerTokens.of(FEED_TOKEN))).build(),
                directory.store()));
    }

    static FeedFixture start() {
        return start(b -> b);
    }

    /** A receiver with the feed {@code feed} builds over the directory's store. */
    static FeedFixture withFeed(java.util.function.Function<Directory, Feed> feed) {
        Path folder;
        try {
            folder = Files.createTempDirectory("feed-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Directory directory = Directory.open(folder);
        Feed built = feed.apply(directory);
        ScimServer server = new ScimServer(ScimServerSettings.builder(BearerTokens.of(SCIM_TOKEN))
                .host("127.0.0.1").port(0).build(), directory.service(), built).start();
        return new FeedFixture(folder, directory, built, server);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpRequest.Builder feedRequest(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + FEED_TOKEN);
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        return RunningScimServer.send(client, request, body);
    }

    /** A SCIM request through the HTTP API, as an IdP makes it. */
    HttpResponse<String> scim(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(uri("/scim/v2" + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + SCIM_TOKEN).header("Content-Type", "application/scim+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a user through the SCIM API and returns its id. */
    String createUser(String userName) {
        HttpResponse<String> response = scim("POST", "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",
                 "emails":[{"value":"%s@example.com","primary":true}]}""".formatted(userName, userName));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("user not created: " + response.statusCode() + " " + response.body());
        }
        return json(response.body()).path("id").asText();
    }

    /** Opens {@code /feed/v1/changes?after=V} and reads its lines on a thread of their own. */
    Lines changes(long after) {
        HttpResponse<Stream<String>> response = send(feedRequest("/feed/v1/changes?after=" + after).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        return new Lines(response);
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            directory.close();
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The lines of a streaming response, read by a virtual thread into a queue the test polls with a bound. */
    static final class Lines implements AutoCloseable {
        private static final JsonNode END = Json.object().put("type", "<end of stream>");
        final HttpResponse<Stream<String>> response;
        private final BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
        private final Thread reader;

        Lines(HttpResponse<Stream<String>> response) {
            this.response = response;
            this.reader = Thread.ofVirtual().start(() -> {
                try (Stream<String> lines = response.body()) {
                    lines.forEach(line -> queue.add(json(line)));
                } catch (RuntimeException e) {
                    // The connection was cut: the end marker below says so.
                } finally {
                    queue.add(END);
                }
            });
        }

        /** The next line, failing when none comes within {@code wait}. */
        JsonNode next(Duration wait) {
            try {
                JsonNode line = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
                if (line == null) {
                    throw new AssertionError("no line within " + wait);
                }
                return line;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        JsonNode next() {
            return next(Duration.ofSeconds(10));
        }

        /** The next line that is not a heartbeat. */
        JsonNode nextChange() {
            JsonNode line;
            do {
                line = next();
            } while (line.path("type").asText().equals("heartbeat"));
            return line;
        }

        static boolean isEnd(JsonNode line) {
            return line == END;
        }

        @Override
        public void close() {
            reader.interrupt();
            response.body().close();
        }
    }
}
