package io.scimitar.scim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scimitar.scim.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * A recorded IdP request sequence (a JSON file under {@code src/test/resources/e2e/}) and the runner
 * that replays it against a receiver. Each step is a request (method, path, headers, body) and what
 * the answer must hold: the status, a few JSON pointers and their values, pointers that must be
 * absent, and captures ({@code "capture": {"userId": "/id"}}) that later steps use as {@code ${userId}}.
 */
final class Replay {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

    private final String name;
    private final Map<String, String> defaultHeaders;
    private final List<JsonNode> steps;
    private final Map<String, String> captures = new LinkedHashMap<>();

    private Replay(String name, Map<String, String> defaultHeaders, List<JsonNode> steps) {
        this.name = name;
        this.defaultHeaders = defaultHeaders;
        this.steps = steps;
    }

    static Replay load(String resource) {
        try (InputStream in = Replay.class.getResourceAsStream("/e2e/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource e2e/" + resource);
            }
            JsonNode root = Json.MAPPER.readTree(in);
            Map<String, String> headers = new LinkedHashMap<>();
            root.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            List<JsonNode> steps = new ArrayList<>();
            root.path("steps").forEach(steps::add);
            return new Replay(root.path("name").asText(resource), headers, steps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The steps as dynamic tests, run in order against {@code receiver}: one assertion group per step. */
    Stream<DynamicTest> steps(ReceiverFixture receiver) {
        return steps.stream().map(step -> DynamicTest.dynamicTest(name + ": " + step.path("name").asText(),
                () -> run(receiver, step)));
    }

    /** Replays every step, failing on the first that does not hold; returns the captured values. */
    Map<String, String> runAll(ReceiverFixture receiver) {
        steps.forEach(step -> run(receiver, step));
        return Map.copyOf(captures);
    }

    String captured(String variable) {
        return captures.get(variable);
    }

    private void run(ReceiverFixture receiver, JsonNode step) {
        String label = name + " / " + step.path("name").asText();
        String method = step.path("method").asText();
        String path = substitute(step.path("path").asText());
        Map<String, String> headers = new LinkedHashMap<>(defaultHeaders);
        step.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        JsonNode body = step.get("body");
        String payload = body == null ? null : substitute(body.isTextual() ? body.asText() : body.toString());
        if (payload == null) {
            headers.remove("Content-Type");
        }

        ReceiverFixture.Reply reply = receiver.send(method, path, payload, headers);

        JsonNode expect = step.path("expect");
        List<Integer> statuses = new ArrayList<>();
        if (expect.path("status").isArray()) {
            expect.path("status").forEach(s -> statuses.add(s.asInt()));
        } else {
            statuses.add(expect.path("status").asInt());
        }
        assertThat(reply.status()).as("%s: %s %s -> %s", label, method, path, reply).isIn(statuses);
        expect.path("headers").properties().forEach(e -> assertThat(reply.header(e.getKey()))
                .as("%s: header %s", label, e.getKey()).startsWith(substitute(e.getValue().asText())));
        if (reply.status() != 204) {
            expect.path("json").properties().forEach(e -> assertThat(reply.at(e.getKey()))
                    .as("%s: %s in %s", label, e.getKey(), reply.body()).isEqualTo(expected(e.getValue())));
            expect.path("absent").forEach(p -> assertThat(reply.at(p.asText()).isMissingNode())
                    .as("%s: %s must be absent from %s", label, p.asText(), reply.body()).isTrue());
        }
        step.path("capture").properties().forEach(e -> {
            JsonNode value = reply.at(e.getValue().asText());
            assertThat(value.isTextual()).as("%s: capture %s from %s", label, e.getValue().asText(), reply.body()).isTrue();
            captures.put(e.getKey(), value.asText());
        });
    }

    private JsonNode expected(JsonNode value) {
        if (value.isTextual()) {
            return Json.MAPPER.getNodeFactory().textNode(substitute(value.asText()));
        }
        if (value.isContainerNode()) {
            try {
                return Json.MAPPER.readTree(substitute(value.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return value;
    }

    private String substitute(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = captures.get(m.group(1));
            if (value == null) {
                throw new AssertionError(name + ": ${" + m.group(1) + "} was not captured by an earlier step");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Reads the stored resource directly, bypassing any projection: what the IdP's change really did. */
    static ObjectNode stored(ReceiverFixture receiver, String path) {
        ReceiverFixture.Reply reply = receiver.send("GET", path, null, Map.of());
        assertThat(reply.status()).as("GET %s -> %s", path, reply).isEqualTo(200);
        return (ObjectNode) reply.json();
    }
}
