package io.scimitar.authz;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A YAML document as a tree that remembers the line of every node, which Jackson's {@code JsonNode}
 * forgets. Built from the streaming parser's token locations; refuses what a policy never needs
 * and would only make ambiguous: aliases, duplicate keys, several documents.
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Sequence, YamlNode.Mapping {

    /** The 1-based line the node starts on. */
    int line();

    /** How the node is named in "expected ..., got ..." messages. */
    String describe();

    /**
     * A scalar, with the token Jackson gave it: {@code VALUE_TRUE} for {@code true} and, by YAML
     * 1.1, also for {@code yes} and {@code on}, which is why booleans are checked on {@code text}.
     */
    record Scalar(int line, String text, JsonToken token) implements YamlNode {

        /**
         * Whether the scalar is empty: {@code ~}, {@code null}, or nothing after the colon (which
         * Jackson reports as an empty string in block mappings). No policy value may be empty.
         */
        boolean isNull() {
            return token == JsonToken.VALUE_NULL || text.isEmpty();
        }

        @Override
        public String describe() {
            return isNull() ? "nothing" : "\"" + text + "\"";
        }
    }

    /** A list. */
    record Sequence(int line, List<YamlNode> items) implements YamlNode {

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A mapping, its entries in file order. */
    record Mapping(int line, List<Entry> entries) implements YamlNode {

        @Override
        public String describe() {
            return "a mapping";
        }

        Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }
    }

    /** One key of a mapping, with the line of the key. */
    record Entry(String key, int line, YamlNode value) {
    }

    /**
     * Parses one YAML document; an empty document (or only comments) is empty.
     *
     * @throws PolicyException for invalid YAML, an alias, a duplicate key or a second document
     */
    static Optional<YamlNode> parse(String source, String text) {
        try (JsonParser parser = Reader.FACTORY.createParser(text)) {
            Reader reader = new Reader(source, (YAMLParser) parser);
            if (parser.nextToken() == null) {
                return Optional.empty();
            }
            YamlNode root = reader.node();
            if (parser.nextToken() != null) {
                throw new PolicyException(source, Reader.line(parser.currentTokenLocation()),
                        "expected one YAML document, found a second one");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            throw new PolicyException(source, Reader.line(e.getLocation()), "invalid YAML: "
                    + Reader.words(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new PolicyException(source, 0, "cannot parse the policy: " + e.getMessage());
        }
    }

    /** The recursive descent over Jackson's tokens. */
    final class Reader {
        static final YAMLFactory FACTORY = YAMLFactory.builder().build();

        private final String source;
        private final YAMLParser parser;

        Reader(String source, YAMLParser parser) {
            this.source = source;
            this.parser = parser;
        }

        /** Reads the node at the current token, leaving the parser on its last token. */
        YamlNode node() throws IOException {
            int line = line(parser.currentTokenLocation());
            if (parser.isCurrentAlias()) {
                throw new PolicyException(source, line, "expected no YAML aliases (*" + parser.getText()
                        + "): write the value out");
            }
            JsonToken token = parser.currentToken();
            return switch (token) {
                case START_OBJECT -> mapping(line);
                case START_ARRAY -> sequence(line);
                default -> new Scalar(line, token == JsonToken.VALUE_NULL ? "" : parser.getText(), token);
            };
        }

        private Mapping mapping(int line) throws IOException {
            List<Entry> entries = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int keyLine = line(parser.currentTokenLocation());
                Integer first = seen.putIfAbsent(key, keyLine);
                if (first != null) {
                    throw new PolicyException(source, keyLine, "duplicate key \"" + key + "\" (first at line "
                            + first + ")");
                }
                parser.nextToken();
                entries.add(new Entry(key, keyLine, node()));
            }
            return new Mapping(line, entries);
        }

        private Sequence sequence(int line) throws IOException {
            List<YamlNode> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(node());
            }
            return new Sequence(line, items);
        }

        static int line(JsonLocation location) {
            return location == null ? 0 : Math.max(0, location.getLineNr());
        }

        /**
         * SnakeYAML's messages span lines: context, indented location marks with a caret drawing,
         * then the problem. The unindented lines are the words; the rest repeats the location.
         */
        static String words(String message) {
            if (message == null || message.isBlank()) {
                return "cannot parse it";
            }
            String words = message.strip().lines()
                    .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                    .map(String::strip)
                    .collect(Collectors.joining(": "));
            return words.isEmpty() ? "cannot parse it" : words;
        }
    }
}
