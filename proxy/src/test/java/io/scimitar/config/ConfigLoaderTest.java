package io.scimitar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.scimitar.config.ScimitarConfig.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration as a table: a YAML file (or none) and an environment in, the effective value
 * of a key and where it came from, or the exact one-line error, out. {@code FILE} in an expected
 * error stands for the YAML file's path, {@code DIR} in a value for a temporary directory.
 */
class ConfigLoaderTest {

    private static final String TOKEN = "s3cr3t-token-0123456789";

    @TempDir
    Path dir;

    static Stream<Arguments> effectiveValues() {
        return Stream.of(
                // key, yaml (null: no file), env, profile, expected value, expected source
                arguments(ConfigKey.SCIM_LISTEN, null, Map.of(), Profile.RECEIVER, "0.0.0.0:8081", Source.DEFAULT),
                arguments(ConfigKey.SCIM_LISTEN, null, Map.of(), Profile.DEMO, "127.0.0.1:8081", Source.DEFAULT),
                arguments(ConfigKey.SCIM_LISTEN, "scim:\n  listen: 10.0.0.7:9000\n", Map.of(), Profile.RECEIVER,
                        "10.0.0.7:9000", Source.FILE),
                arguments(ConfigKey.SCIM_LISTEN, "scim:\n  listen: 10.0.0.7:9000\n",
                        Map.of("SCIMITAR_SCIM_LISTEN", "127.0.0.1:9001"), Profile.RECEIVER, "127.0.0.1:9001",
                        Source.ENVIRONMENT),
                arguments(ConfigKey.SCIM_LISTEN, "scim:\n  listen: 10.0.0.7:9000\n",
                        Map.of("SCIMITAR_SCIM_LISTEN", ""), Profile.RECEIVER, "10.0.0.7:9000", Source.FILE),
                arguments(ConfigKey.SCIM_LISTEN, "scim:\n  listen: \"[::1]:8443\"\n", Map.of(), Profile.RECEIVER,
                        "[::1]:8443", Source.FILE),
                arguments(ConfigKey.SCIM_LISTEN, "scim:\n  listen: localhost:0\n", Map.of(), Profile.RECEIVER,
                        "localhost:0", Source.FILE),
                arguments(ConfigKey.SCIM_LISTEN, "", Map.of(), Profile.RECEIVER, "0.0.0.0:8081", Source.DEFAULT),
                arguments(ConfigKey.SCIM_LISTEN, "# only a comment\n", Map.of(), Profile.RECEIVER, "0.0.0.0:8081",
                        Source.DEFAULT),
                arguments(ConfigKey.SCIM_LISTEN, "scim:\n", Map.of(), Profile.DEMO, "127.0.0.1:8081", Source.DEFAULT),
                arguments(ConfigKey.SCIM_TOKEN, null, Map.of(), Profile.RECEIVER, "", Source.DEFAULT),
                arguments(ConfigKey.SCIM_TOKEN, null, Map.of("SCIMITAR_SCIM_TOKEN", TOKEN), Profile.RECEIVER, TOKEN,
                        Source.ENVIRONMENT),
                arguments(ConfigKey.SCIM_TOKEN, "scim:\n  token: " + TOKEN + "\n", Map.of(), Profile.RECEIVER, TOKEN,
                        Source.FILE),
                arguments(ConfigKey.SCIM_TOKEN, null, Map.of("SCIMITAR_SCIM_TOKEN", " " + TOKEN + "\n"),
                        Profile.RECEIVER, TOKEN, Source.ENVIRONMENT),
                arguments(ConfigKey.SCIM_MAX_BODY_BYTES, null, Map.of(), Profile.RECEIVER, "1048576", Source.DEFAULT),
                arguments(ConfigKey.SCIM_MAX_BODY_BYTES, "scim:\n  max-body-bytes: 2097152\n", Map.of(),
                        Profile.RECEIVER, "2097152", Source.FILE),
                arguments(ConfigKey.SCIM_MAX_BODY_BYTES, null, Map.of("SCIMITAR_SCIM_MAX_BODY_BYTES", "4_194_304"),
                        Profile.RECEIVER, "4194304", Source.ENVIRONMENT),
                arguments(ConfigKey.SCIM_MAX_RESULTS, null, Map.of(), Profile.RECEIVER, "1000", Source.DEFAULT),
                arguments(ConfigKey.SCIM_MAX_RESULTS, "scim:\n  max-results: 200\n",
                        Map.of("SCIMITAR_SCIM_MAX_RESULTS", "50"), Profile.RECEIVER, "50", Source.ENVIRONMENT),
                arguments(ConfigKey.SCIM_GROUP_DISPLAY_NAME_UNIQUE, null, Map.of(), Profile.RECEIVER, "true",
                        Source.DEFAULT),
                arguments(ConfigKey.SCIM_GROUP_DISPLAY_NAME_UNIQUE, "scim:\n  group-display-name-unique: false\n",
                        Map.of(), Profile.RECEIVER, "false", Source.FILE),
                arguments(ConfigKey.SCIM_GROUP_DISPLAY_NAME_UNIQUE, null,
                        Map.of("SCIMITAR_SCIM_GROUP_DISPLAY_NAME_UNIQUE", "FALSE"), Profile.RECEIVER, "false",
                        Source.ENVIRONMENT),
                arguments(ConfigKey.SCIM_BASE_URL, null, Map.of(), Profile.RECEIVER, "", Source.DEFAULT),
                arguments(ConfigKey.SCIM_BASE_URL, "scim:\n  base-url:\n", Map.of(), Profile.RECEIVER, "",
                        Source.DEFAULT),
                arguments(ConfigKey.SCIM_BASE_URL, "scim:\n  base-url: https://scim.example.com/scim/v2\n", Map.of(),
                        Profile.RECEIVER, "https://scim.example.com/scim/v2", Source.FILE),
                arguments(ConfigKey.STORE, null, Map.of(), Profile.RECEIVER, "jdbc:sqlite:./scimitar-data/scimitar.db",
                        Source.DEFAULT),
                arguments(ConfigKey.STORE, "store: sqlite:/var/lib/scimitar/dir.db\n", Map.of(), Profile.RECEIVER,
                        "jdbc:sqlite:/var/lib/scimitar/dir.db", Source.FILE),
                arguments(ConfigKey.STORE, "store: sqlite:/var/lib/scimitar/dir.db\n",
                        Map.of("SCIMITAR_STORE", "jdbc:sqlite:/data/s.db"), Profile.RECEIVER, "jdbc:sqlite:/data/s.db",
                        Source.ENVIRONMENT),
                arguments(ConfigKey.LISTEN, null, Map.of(), Profile.PROXY, "0.0.0.0:8080", Source.DEFAULT),
                arguments(ConfigKey.LISTEN, null, Map.of(), Profile.DEMO, "127.0.0.1:8080", Source.DEFAULT),
                arguments(ConfigKey.LISTEN, "listen: 0.0.0.0:10000\n", Map.of(), Profile.PROXY, "0.0.0.0:10000",
                        Source.FILE),
                arguments(ConfigKey.ADMIN_LISTEN, null, Map.of(), Profile.PROXY, "127.0.0.1:9901", Source.DEFAULT),
                arguments(ConfigKey.ADMIN_LISTEN, "admin:\n  listen: 0.0.0.0:9901\n",
                        Map.of("SCIMITAR_ADMIN_LISTEN", "0.0.0.0:9902"), Profile.PROXY, "0.0.0.0:9902",
                        Source.ENVIRONMENT),
                arguments(ConfigKey.UPSTREAM, null, Map.of(), Profile.PROXY, "", Source.DEFAULT),
                arguments(ConfigKey.UPSTREAM, "upstream: http://127.0.0.1:3000\n", Map.of(), Profile.PROXY,
                        "http://127.0.0.1:3000", Source.FILE),
                arguments(ConfigKey.UPSTREAM, null, Map.of("SCIMITAR_UPSTREAM", "http://app.local:8080/"),
                        Profile.PROXY, "http://app.local:8080/", Source.ENVIRONMENT),
                arguments(ConfigKey.AUTH_USER_CLAIM, null, Map.of(), Profile.PROXY, "email", Source.DEFAULT),
                arguments(ConfigKey.AUTH_USER_CLAIM, "auth:\n  user-claim: preferred_username\n", Map.of(),
                        Profile.PROXY, "preferred_username", Source.FILE),
                arguments(ConfigKey.AUTH_USER_ATTRIBUTE, null, Map.of(), Profile.PROXY, "userName", Source.DEFAULT),
                arguments(ConfigKey.AUTH_USER_ATTRIBUTE, null, Map.of("SCIMITAR_AUTH_USER_ATTRIBUTE", "EXTERNALID"),
                        Profile.PROXY, "externalId", Source.ENVIRONMENT),
                arguments(ConfigKey.AUTH_ALB_ARN, null, Map.of("SCIMITAR_AUTH_ALB_ARN",
                        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188"),
                        Profile.PROXY,
                        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188",
                        Source.ENVIRONMENT),
                arguments(ConfigKey.MAX_BODY_BYTES, null, Map.of(), Profile.PROXY, "10485760", Source.DEFAULT),
                arguments(ConfigKey.DRAIN_TIMEOUT, null, Map.of(), Profile.PROXY, "PT20S", Source.DEFAULT),
                arguments(ConfigKey.DRAIN_TIMEOUT, "drain-timeout: 1500ms\n", Map.of(), Profile.PROXY, "PT1.5S",
                        Source.FILE),
                arguments(ConfigKey.TIMEOUT_CONNECT, null, Map.of("SCIMITAR_TIMEOUTS_CONNECT", "PT0.25S"),
                        Profile.PROXY, "PT0.25S", Source.ENVIRONMENT),
                arguments(ConfigKey.TIMEOUT_RESPONSE_HEADERS, "timeouts:\n  response-headers: 2m\n", Map.of(),
                        Profile.PROXY, "PT2M", Source.FILE),
                arguments(ConfigKey.TIMEOUT_IDLE, null, Map.of(), Profile.PROXY, "PT1M", Source.DEFAULT));
    }

    @ParameterizedTest(name = "[{index}] {0} from {5}")
    @MethodSource("effectiveValues")
    void effectiveValue(ConfigKey key, String yaml, Map<String, String> env, Profile profile, String expected,
            Source source) throws IOException {
        ScimitarConfig config = load(yaml, env, profile);

        assertThat(effective(config, key)).isEqualTo(expected);
        assertThat(config.source(key)).isEqualTo(source);
    }

    static Stream<Arguments> errors() {
        String listenExpected = ": expected host:port with a port 0-65535";
        String known = "; known keys: scim.listen, scim.token, scim.token-file, scim.max-body-bytes, scim.base-url,"
                + " scim.group-display-name-unique, scim.max-results, store, store-user,"
                + " store-password, store-password-file, changelog.retention, listen, admin.listen, upstream, policy,"
                + " auth.jwks-url, auth.issuer, auth.audience, auth.user-claim, auth.user-attribute, auth.cookie,"
                + " auth.alb-arn, auth.alb-key-url, tls.cert, tls.key, max-body-bytes, timeouts.connect,"
                + " timeouts.response-headers, timeouts.idle, drain-timeout, feed.urls, feed.token, feed.token-file,"
                + " feed.max-staleness";
        return Stream.of(
                // yaml (null: no file), env, the exact message
                arguments(null, Map.of("SCIMITAR_SCIM_LISTEN", "localhost:abc"),
                        "scim.listen (SCIMITAR_SCIM_LISTEN) = \"localhost:abc\"" + listenExpected),
                arguments("scim:\n  listen: localhost:70000\n", Map.of(),
                        "FILE: scim.listen (SCIMITAR_SCIM_LISTEN) = \"localhost:70000\"" + listenExpected),
                arguments("scim:\n  listen: 8081\n", Map.of(),
                        "FILE: scim.listen (SCIMITAR_SCIM_LISTEN) = \"8081\"" + listenExpected),
                arguments(null, Map.of("SCIMITAR_SCIM_LISTEN", "::1:8081"),
                        "scim.listen (SCIMITAR_SCIM_LISTEN) = \"::1:8081\"" + listenExpected),
                arguments(null, Map.of("SCIMITAR_SCIM_LISTEN", "host:"),
                        "scim.listen (SCIMITAR_SCIM_LISTEN) = \"host:\"" + listenExpected),
                arguments("scim:\n  listen: [a, b]\n", Map.of(),
                        "FILE: scim.listen (SCIMITAR_SCIM_LISTEN): expected a single value, got a list"),
                arguments("scim:\n  listn: 0.0.0.0:8081\n", Map.of(),
                        "FILE: unknown key \"scim.listn\"; did you mean \"scim.listen\"?"),
                arguments("logging:\n  level: debug\n", Map.of(), "FILE: unknown key \"logging\"" + known),
                arguments(null, Map.of("SCIMITAR_UPSTREAM", "https://app:8443"), "upstream (SCIMITAR_UPSTREAM) ="
                        + " \"https://app:8443\": expected http://host:port, e.g. http://127.0.0.1:8080"),
                arguments(null, Map.of("SCIMITAR_UPSTREAM", "http://127.0.0.1"), "upstream (SCIMITAR_UPSTREAM) ="
                        + " \"http://127.0.0.1\": expected http://host:port, e.g. http://127.0.0.1:8080"),
                arguments(null, Map.of("SCIMITAR_UPSTREAM", "http://127.0.0.1:8080/app"), "upstream (SCIMITAR_UPSTREAM) ="
                        + " \"http://127.0.0.1:8080/app\": expected http://host:port, e.g. http://127.0.0.1:8080"),
                arguments(null, Map.of("SCIMITAR_FEED_URLS", "http://a:8081,,http://b:8081"), "feed.urls (SCIMITAR_FEED_URLS) ="
                        + " \"http://a:8081,,http://b:8081\": expected comma-separated receiver base URLs,"
                        + " e.g. http://receiver-a:8081,http://receiver-b:8081"),
                arguments(null, Map.of("SCIMITAR_FEED_URLS", "receiver-a:8081"), "feed.urls (SCIMITAR_FEED_URLS) ="
                        + " \"receiver-a:8081\": expected comma-separated receiver base URLs,"
                        + " e.g. http://receiver-a:8081,http://receiver-b:8081"),
                arguments(null, Map.of("SCIMITAR_FEED_URLS", "http://a:8081/,http://a:8081"), "feed.urls (SCIMITAR_FEED_URLS) ="
                        + " \"http://a:8081/,http://a:8081\": names http://a:8081 twice; expected comma-separated"
                        + " receiver base URLs, e.g. http://receiver-a:8081,http://receiver-b:8081"),
                arguments(null, Map.of("SCIMITAR_FEED_TOKEN", "short"), "feed.token (SCIMITAR_FEED_TOKEN) ="
                        + " <redacted, 5 characters>: expected a token of at least 16 characters"),
                arguments(null, Map.of("SCIMITAR_FEED_MAX_STALENESS", "0s"), "feed.max-staleness"
                        + " (SCIMITAR_FEED_MAX_STALENESS) = \"0s\": expected a positive duration such as 500ms, 2s, 5m or 1h"),
                arguments(null, Map.of("SCIMITAR_CHANGELOG_RETENTION", "a week"), "changelog.retention"
                        + " (SCIMITAR_CHANGELOG_RETENTION) = \"a week\": expected a positive duration such as 500ms, 2s, 5m or 1h"),
                arguments(null, Map.of("SCIMITAR_DRAIN_TIMEOUT", "20"), "drain-timeout (SCIMITAR_DRAIN_TIMEOUT) ="
                        + " \"20\": expected a positive duration such as 500ms, 2s, 5m or 1h"),
                arguments("timeouts:\n  idle: 0s\n", Map.of(), "FILE: timeouts.idle (SCIMITAR_TIMEOUTS_IDLE) ="
                        + " \"0s\": expected a positive duration such as 500ms, 2s, 5m or 1h"),
                arguments(null, Map.of("SCIMITAR_AUTH_USER_ATTRIBUTE", "mail"), "auth.user-attribute"
                        + " (SCIMITAR_AUTH_USER_ATTRIBUTE) = \"mail\": expected one of userName, externalId, emails, id"),
                arguments(null, Map.of("SCIMITAR_AUTH_ALB_ARN", "my-alb"), "auth.alb-arn (SCIMITAR_AUTH_ALB_ARN) ="
                        + " \"my-alb\": expected an application load balancer ARN,"
                        + " arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID"),
                arguments(null, Map.of("SCIMITAR_AUTH_JWKS_URL", "file:///etc/jwks.json"), "auth.jwks-url"
                        + " (SCIMITAR_AUTH_JWKS_URL) = \"file:///etc/jwks.json\": expected an absolute http(s) URL"),
                arguments(null, Map.of("SCIMITAR_AUTH_COOKIE", "a b"), "auth.cookie (SCIMITAR_AUTH_COOKIE) ="
                        + " \"a b\": expected a cookie name (letters, digits and !#$%&'*+-.^_`|~)"),
                arguments(null, Map.of("SCIMITAR_TLS_CERT", "/nonexistent/cert.pem"), "tls.cert (SCIMITAR_TLS_CERT) ="
                        + " \"/nonexistent/cert.pem\": expected a readable file"),
                arguments("scim:\n  listen: [a\n", Map.of(), "FILE: invalid YAML at line 2, column 13: while parsing a"
                        + " flow sequence: expected ',' or ']', but got <stream end>"),
                arguments("a: b: c\n", Map.of(),
                        "FILE: invalid YAML at line 1, column 5: mapping values are not allowed here"),
                arguments("scim:\n  listen: a:1\n  listen: b:2\n", Map.of(),
                        "FILE: invalid YAML at line 3, column 9: Duplicate field 'listen'"),
                arguments("- scim\n", Map.of(), "FILE: expected a mapping of keys at the top level, got a list"),
                arguments("scim: enabled\n", Map.of(), "FILE: scim: expected a mapping of keys (scim.listen, scim.token,"
                        + " scim.token-file, scim.max-body-bytes, scim.base-url, scim.group-display-name-unique,"
                        + " scim.max-results), got \"enabled\""),
                arguments(null, Map.of("SCIMITAR_SCIM_TOKEN", "short"),
                        "scim.token (SCIMITAR_SCIM_TOKEN) = <redacted, 5 characters>: expected a token of at least 16"
                                + " characters"),
                arguments("scim:\n  token: \"0123456789 abcdefg\"\n", Map.of(),
                        "FILE: scim.token (SCIMITAR_SCIM_TOKEN) = <redacted, 18 characters>: expected a token of"
                                + " printable characters without spaces"),
                arguments("scim:\n  max-body-bytes: 10\n", Map.of(), "FILE: scim.max-body-bytes"
                        + " (SCIMITAR_SCIM_MAX_BODY_BYTES) = \"10\": expected a whole number from 1024 to 67108864"),
                arguments(null, Map.of("SCIMITAR_SCIM_MAX_BODY_BYTES", "1MB"), "scim.max-body-bytes"
                        + " (SCIMITAR_SCIM_MAX_BODY_BYTES) = \"1MB\": expected a whole number from 1024 to 67108864"),
                arguments(null, Map.of("SCIMITAR_SCIM_MAX_RESULTS", "0"), "scim.max-results"
                        + " (SCIMITAR_SCIM_MAX_RESULTS) = \"0\": expected a whole number from 1 to 10000"),
                arguments(null, Map.of("SCIMITAR_SCIM_MAX_RESULTS", "99999999999"), "scim.max-results"
                        + " (SCIMITAR_SCIM_MAX_RESULTS) = \"99999999999\": expected a whole number from 1 to 10000"),
                arguments(null, Map.of("SCIMITAR_SCIM_GROUP_DISPLAY_NAME_UNIQUE", "yes"),
                        "scim.group-display-name-unique (SCIMITAR_SCIM_GROUP_DISPLAY_NAME_UNIQUE) = \"yes\": expected"
                                + " true or false"),
                arguments(null, Map.of("SCIMITAR_SCIM_BASE_URL", "scim.example.com/scim/v2"),
                        "scim.base-url (SCIMITAR_SCIM_BASE_URL) = \"scim.example.com/scim/v2\": expected an absolute"
                                + " http(s) URL without query or fragment, e.g. https://scim.example.com/scim/v2"),
                arguments(null, Map.of("SCIMITAR_SCIM_BASE_URL", "https://scim.example.com/scim/v2?x=1"),
                        "scim.base-url (SCIMITAR_SCIM_BASE_URL) = \"https://scim.example.com/scim/v2?x=1\": expected"
                                + " an absolute http(s) URL without query or fragment, e.g."
                                + " https://scim.example.com/scim/v2"),
                arguments(null, Map.of("SCIMITAR_STORE", "jdbc:postgresql:scim"),
                        "store (SCIMITAR_STORE) = \"jdbc:postgresql:scim\": expected"
                                + " jdbc:postgresql://HOST:PORT/DATABASE with a host and a database"),
                arguments(null, Map.of("SCIMITAR_STORE", "postgres://db.internal/scim"),
                        "store (SCIMITAR_STORE) = \"postgres://db.internal/scim\": expected"
                                + " jdbc:postgresql://HOST:PORT/DATABASE for PostgreSQL"),
                arguments("store: jdbc:postgresql://scim:hunter2@db/scim?password=hunter2\n", Map.of(),
                        "FILE: store (SCIMITAR_STORE) = \"jdbc:postgresql://***@db/scim?…\": expected no password in"
                                + " the URL; set store-password or store-password-file instead"),
                arguments(null, Map.of("SCIMITAR_STORE", "jdbc:postgresql://db/scim", "SCIMITAR_STORE_PASSWORD", "hunter2",
                                "SCIMITAR_STORE_PASSWORD_FILE", "/run/secrets/db"),
                        "store-password-file (SCIMITAR_STORE_PASSWORD_FILE) = \"/run/secrets/db\": expected either"
                                + " store-password or store-password-file, not both"),
                arguments(null, Map.of("SCIMITAR_STORE", "jdbc:postgresql://db/scim",
                                "SCIMITAR_STORE_PASSWORD_FILE", "/nonexistent/db-password"),
                        "store-password-file (SCIMITAR_STORE_PASSWORD_FILE) = \"/nonexistent/db-password\": expected a"
                                + " readable file with the password: no such file"),
                arguments(null, Map.of("SCIMITAR_STORE", "sqlite:/data/s.db", "SCIMITAR_STORE_USER", "scim"),
                        "store-user (SCIMITAR_STORE_USER) = \"scim\": expected no database credentials for a SQLite"
                                + " store (they apply to jdbc:postgresql:)"),
                arguments(null, Map.of("SCIMITAR_STORE", "mysql://db/scim"),
                        "store (SCIMITAR_STORE) = \"mysql://db/scim\": expected sqlite:PATH, jdbc:sqlite:PATH or"
                                + " jdbc:postgresql://HOST:PORT/DATABASE"),
                arguments(null, Map.of("SCIMITAR_STORE", "sqlite:"),
                        "store (SCIMITAR_STORE) = \"sqlite:\": expected sqlite:PATH with a file path after 'sqlite:'"),
                arguments(null, Map.of("SCIMITAR_STORE", "jdbc:sqlite::memory:"),
                        "store (SCIMITAR_STORE) = \"jdbc:sqlite::memory:\": expected a database file; an in-memory"
                                + " SQLite database is not supported"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("errors")
    void refused(String yaml, Map<String, String> env, String expected) {
        Optional<Path> file = Optional.ofNullable(yaml).map(y -> dir.resolve("scimitar.yaml"));

        assertThatThrownBy(() -> load(yaml, env, Profile.RECEIVER))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file.map(f -> expected.replace("FILE", f.toString())).orElse(expected));
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Optional.of(missing), Profile.RECEIVER))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": cannot read the configuration file: no such file");
    }

    @Test
    void aRefusedTokenIsNeverShown() {
        String almost = "hunter2-but-long";

        assertThatThrownBy(() -> load(null, Map.of("SCIMITAR_SCIM_TOKEN", almost + " x"), Profile.RECEIVER))
                .isInstanceOf(ConfigException.class)
                .message().doesNotContain("hunter2");
    }

    static Stream<Arguments> tokenFiles() {
        String a = "a".repeat(16);
        String b = "b".repeat(40);
        return Stream.of(
                // file contents, the tokens found, or the error after "scim.token-file (…) = "PATH": "
                arguments(a + "\n", 1, null),
                arguments("# rotated 2026-11-01\n" + a + "\n\n   " + b + "  \n# old: none\n", 2, null),
                arguments("", 0, null),
                arguments("short\n", 0, "token 1 in the file has 5 characters, expected at least 16"),
                arguments(a + "\n" + b + " " + b + "\n", 0,
                        "token 2 in the file has spaces or control characters, expected one token per line"));
    }

    @ParameterizedTest(name = "[{index}] {1} tokens / {2}")
    @MethodSource("tokenFiles")
    void tokenFile(String contents, int tokens, String error) throws IOException {
        Path file = Files.writeString(dir.resolve("tokens"), contents);
        Map<String, String> env = Map.of("SCIMITAR_SCIM_TOKEN_FILE", file.toString());

        if (error == null) {
            ScimitarConfig config = load(null, env, Profile.RECEIVER);
            assertThat(config.scim().tokenFile()).contains(file);
            assertThat(config.scim().tokenFileTokens()).hasSize(tokens);
            assertThat(config.scim().hasTokens()).isEqualTo(tokens > 0);
        } else {
            assertThatThrownBy(() -> load(null, env, Profile.RECEIVER))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("scim.token-file (SCIMITAR_SCIM_TOKEN_FILE) = \"" + file + "\": " + error);
        }
    }

    @Test
    void anUnreadableTokenFileIsNamed() {
        Path missing = dir.resolve("no-tokens");

        assertThatThrownBy(() -> load(null, Map.of("SCIMITAR_SCIM_TOKEN_FILE", missing.toString()), Profile.RECEIVER))
                .isInstanceOf(ConfigException.class)
                .hasMessage("scim.token-file (SCIMITAR_SCIM_TOKEN_FILE) = \"" + missing
                        + "\": expected a readable file of tokens: no such file");
    }

    @Test
    void theReceiverRefusesToStartWithoutAToken() throws IOException {
        ScimitarConfig config = load(null, Map.of(), Profile.RECEIVER);

        assertThatThrownBy(config::requireTokens)
                .isInstanceOf(ConfigException.class)
                .hasMessage("no SCIM bearer token is configured: set scim.token (SCIMITAR_SCIM_TOKEN) or"
                        + " scim.token-file (SCIMITAR_SCIM_TOKEN_FILE) (tokens of at least 16 characters)");
    }

    @Test
    void anEmptyTokenFileIsNamedWhenNoTokenIsLeft() throws IOException {
        Path file = Files.writeString(dir.resolve("tokens"), "# nothing yet\n");
        ScimitarConfig config = load(null, Map.of("SCIMITAR_SCIM_TOKEN_FILE", file.toString()), Profile.RECEIVER);

        assertThatThrownBy(config::requireTokens)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("scim.token-file (SCIMITAR_SCIM_TOKEN_FILE) = \"" + file + "\" holds no token,");
    }

    @Test
    void aTokenAndATokenFileTogether() throws IOException {
        Path file = Files.writeString(dir.resolve("tokens"), "f".repeat(20) + "\n");
        Map<String, String> env = new HashMap<>(Map.of("SCIMITAR_SCIM_TOKEN", TOKEN));
        env.put("SCIMITAR_SCIM_TOKEN_FILE", file.toString());

        ScimConfig scim = load(null, env, Profile.RECEIVER).requireTokens().scim();

        assertThat(scim.token()).contains(new Secret(TOKEN));
        assertThat(scim.tokenFileTokens()).containsExactly(new Secret("f".repeat(20)));
    }

    @Test
    void feedKeysParseToReceiverBaseUrlsATokenAndTheStalenessBound() throws IOException {
        Path file = Files.writeString(dir.resolve("feed-tokens"), "# rotated 2026-11-28\n" + "f".repeat(20) + "\n");
        FeedConfig feed = load("feed:\n  urls: http://receiver-a:8081/, https://receiver-b.internal/base\n"
                + "  token-file: " + file + "\n", Map.of("SCIMITAR_FEED_MAX_STALENESS", "90s"), Profile.PROXY).feed();

        assertThat(feed.followsReceivers()).isTrue();
        assertThat(feed.urls()).extracting(Object::toString)
                .containsExactly("http://receiver-a:8081", "https://receiver-b.internal/base");
        assertThat(feed.tokenFileTokens()).containsExactly(new Secret("f".repeat(20)));
        assertThat(feed.maxStaleness()).hasSeconds(90);
        assertThat(feed.requireClientToken()).isSameAs(feed);
    }

    @Test
    void withoutFeedKeysTheSidecarIsNotInFeedModeAndTheBoundIsSixtySeconds() throws IOException {
        FeedConfig feed = load(null, Map.of(), Profile.PROXY).feed();

        assertThat(feed.followsReceivers()).isFalse();
        assertThat(feed.maxStaleness()).hasSeconds(60);
        assertThatThrownBy(feed::requireClientToken).isInstanceOf(ConfigException.class).hasMessage(
                "no feed token is configured: set feed.token (SCIMITAR_FEED_TOKEN) or feed.token-file"
                        + " (SCIMITAR_FEED_TOKEN_FILE) (the token the receivers at feed.urls (SCIMITAR_FEED_URLS) accept)");
    }

    @Test
    void theChangeLogKeepsSevenDaysUnlessTold() throws IOException {
        assertThat(load(null, Map.of(), Profile.RECEIVER).changeLogRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(load("changelog:\n  retention: 2d\n", Map.of(), Profile.RECEIVER).changeLogRetention())
                .isEqualTo(Duration.ofDays(2));
        assertThat(load(null, Map.of("SCIMITAR_CHANGELOG_RETENTION", "36h"), Profile.RECEIVER).changeLogRetention())
                .isEqualTo(Duration.ofHours(36));
    }

    @Test
    void everyKeyHasTheEnvironmentVariableItsPathNames() {
        assertThat(Stream.of(ConfigKey.values()).map(ConfigKey::envVar)).containsExactly(
                "SCIMITAR_SCIM_LISTEN", "SCIMITAR_SCIM_TOKEN", "SCIMITAR_SCIM_TOKEN_FILE",
                "SCIMITAR_SCIM_MAX_BODY_BYTES", "SCIMITAR_SCIM_BASE_URL", "SCIMITAR_SCIM_GROUP_DISPLAY_NAME_UNIQUE",
                "SCIMITAR_SCIM_MAX_RESULTS", "SCIMITAR_STORE",
                "SCIMITAR_STORE_USER", "SCIMITAR_STORE_PASSWORD", "SCIMITAR_STORE_PASSWORD_FILE", "SCIMITAR_CHANGELOG_RETENTION",
                "SCIMITAR_LISTEN", "SCIMITAR_ADMIN_LISTEN", "SCIMITAR_UPSTREAM", "SCIMITAR_POLICY",
                "SCIMITAR_AUTH_JWKS_URL", "SCIMITAR_AUTH_ISSUER", "SCIMITAR_AUTH_AUDIENCE", "SCIMITAR_AUTH_USER_CLAIM",
                "SCIMITAR_AUTH_USER_ATTRIBUTE", "SCIMITAR_AUTH_COOKIE", "SCIMITAR_AUTH_ALB_ARN",
                "SCIMITAR_AUTH_ALB_KEY_URL", "SCIMITAR_TLS_CERT", "SCIMITAR_TLS_KEY", "SCIMITAR_MAX_BODY_BYTES",
                "SCIMITAR_TIMEOUTS_CONNECT", "SCIMITAR_TIMEOUTS_RESPONSE_HEADERS", "SCIMITAR_TIMEOUTS_IDLE",
                "SCIMITAR_DRAIN_TIMEOUT", "SCIMITAR_FEED_URLS", "SCIMITAR_FEED_TOKEN", "SCIMITAR_FEED_TOKEN_FILE",
                "SCIMITAR_FEED_MAX_STALENESS");
    }

    @Test
    void aSidecarWithoutAppPolicyOrTokenSourceIsRefusedNamingEachKey() throws IOException {
        SidecarConfig sidecar = load(null, Map.of(), Profile.PROXY).sidecar();

        assertThatThrownBy(sidecar::requireComplete).isInstanceOf(ConfigException.class).hasMessage(
                "the sidecar cannot start: set upstream (SCIMITAR_UPSTREAM) (the app, e.g. http://127.0.0.1:8080);"
                        + " policy (SCIMITAR_POLICY) (the policy file); auth.jwks-url (SCIMITAR_AUTH_JWKS_URL) or"
                        + " auth.alb-arn (SCIMITAR_AUTH_ALB_ARN) (how tokens are verified)");
    }

    @Test
    void aJwksWithoutIssuerAndAudienceIsRefused() throws IOException {
        SidecarConfig sidecar = load(null, Map.of("SCIMITAR_UPSTREAM", "http://127.0.0.1:3000",
                "SCIMITAR_POLICY", "policy.yaml", "SCIMITAR_AUTH_JWKS_URL", "https://idp.example.com/jwks"),
                Profile.PROXY).sidecar();

        assertThatThrownBy(sidecar::requireComplete).isInstanceOf(ConfigException.class).hasMessage(
                "the sidecar cannot start: set auth.issuer (SCIMITAR_AUTH_ISSUER) (the iss every token must carry);"
                        + " auth.audience (SCIMITAR_AUTH_AUDIENCE) (an aud every token must carry)");
    }

    @Test
    void aCompleteSidecarConfigurationPasses() throws IOException {
        SidecarConfig sidecar = load("upstream: http://127.0.0.1:3000\npolicy: policy.yaml\nauth:\n"
                + "  jwks-url: https://idp.example.com/jwks\n  issuer: https://idp.example.com\n  audience: app\n",
                Map.of(), Profile.PROXY).sidecar();

        assertThat(sidecar.requireComplete().idpJwt()).isTrue();
        assertThat(sidecar.albOidc()).isFalse();
    }

    @Test
    void aPostgresStoreTakesItsCredentialsFromTheirKeysAndNeverPrintsThePassword() throws IOException {
        Path passwordFile = Files.writeString(dir.resolve("db-password"), "s3cret-from-file\n");
        ScimitarConfig fromFile = load("store: jdbc:postgresql://db.internal:5432/scim\nstore-user: scim\n",
                Map.of("SCIMITAR_STORE_PASSWORD_FILE", passwordFile.toString()), Profile.RECEIVER);
        ScimitarConfig fromEnv = load(null, Map.of("SCIMITAR_STORE", "jdbc:postgresql://db.internal/scim",
                "SCIMITAR_STORE_PASSWORD", "s3cret-from-env"), Profile.RECEIVER);

        assertThat(fromFile.store()).isEqualTo(new StoreLocation.Postgres("jdbc:postgresql://db.internal:5432/scim",
                Optional.of("scim"), Optional.of(new Secret("s3cret-from-file")), Optional.of(passwordFile)));
        assertThat(fromFile.store().jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/scim");
        assertThat(fromFile.display(ConfigKey.STORE_USER)).isEqualTo("scim");
        assertThat(fromFile.display(ConfigKey.STORE_PASSWORD_FILE)).isEqualTo(passwordFile.toString());
        assertThat(fromEnv.store()).isInstanceOfSatisfying(StoreLocation.Postgres.class, pg -> {
            assertThat(pg.user()).isEmpty();
            assertThat(pg.password().map(Secret::reveal)).contains("s3cret-from-env");
        });
        for (ScimitarConfig config : List.of(fromFile, fromEnv)) {
            for (ConfigKey key : ConfigKey.values()) {
                assertThat(config.display(key)).doesNotContain("s3cret");
            }
            assertThat(config.toString()).doesNotContain("s3cret");
        }
    }

    @Test
    void aSecretPrintsOnlyItsFingerprint() {
        Secret secret = new Secret(TOKEN);

        assertThat(secret.toString()).doesNotContain(TOKEN).matches("<redacted sha256:[0-9a-f]{8}>");
        assertThat(load(TOKEN).toString()).doesNotContain(TOKEN);
    }

    private ScimConfig load(String token) {
        try {
            return load(null, Map.of("SCIMITAR_SCIM_TOKEN", token), Profile.RECEIVER).scim();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private ScimitarConfig load(String yaml, Map<String, String> env, Profile profile) throws IOException {
        Optional<Path> file = Optional.empty();
        if (yaml != null) {
            file = Optional.of(Files.writeString(dir.resolve("scimitar.yaml"), yaml));
        }
        return new ConfigLoader(env).load(file, profile);
    }

    private static String effective(ScimitarConfig config, ConfigKey key) {
        ScimConfig scim = config.scim();
        return switch (key) {
            case SCIM_LISTEN -> scim.listen().toString();
            case SCIM_TOKEN -> scim.token().map(Secret::reveal).orElse("");
            case SCIM_TOKEN_FILE -> scim.tokenFile().map(Path::toString).orElse("");
            case SCIM_MAX_BODY_BYTES -> Integer.toString(scim.maxBodyBytes());
            case SCIM_BASE_URL -> scim.baseUrl().map(Object::toString).orElse("");
            case SCIM_GROUP_DISPLAY_NAME_UNIQUE -> Boolean.toString(scim.groupDisplayNameUnique());
            case SCIM_MAX_RESULTS -> Integer.toString(scim.maxResults());
            case STORE -> config.store().jdbcUrl();
            default -> config.display(key);
        };
    }
}
