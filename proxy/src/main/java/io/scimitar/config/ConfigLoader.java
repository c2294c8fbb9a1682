package io.scimitar.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.scimitar.config.ScimitarConfig.Source;
import io.scimitar.scim.http.BearerTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the configuration: defaults, then the YAML file, then {@code SCIMITAR_*} environment
 * variables, each overriding the one before. Every value is validated here, once; a bad one is a
 * {@link ConfigException} naming the file or variable, the key and what was expected.
 */
public final class ConfigLoader {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private final Map<String, String> env;

    /** @param env the environment variables (injected, so tests need not touch the process's) */
    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /** Loads and validates the configuration for {@code profile}, from {@code file} when given. */
    public ScimitarConfig load(Optional<Path> file, Profile profile) {
        Map<ConfigKey, Raw> raw = new EnumMap<>(ConfigKey.class);
        file.ifPresent(f -> readFile(f, raw));
        for (ConfigKey key : ConfigKey.values()) {
            String value = env.get(key.envVar());
            // ECS and Compose set a variable to "" when a template leaves it blank: treat it as unset.
            if (value != null && !value.isEmpty()) {
                raw.put(key, new Raw(value, Source.ENVIRONMENT));
            }
        }
        return new Resolution(file, raw, profile).resolve();
    }

    private static void readFile(Path file, Map<ConfigKey, Raw> into) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": cannot read the configuration file: no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(file + ": cannot read the configuration file: permission denied");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration file: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": invalid YAML" + at(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file (or only comments): all defaults
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": expected a mapping of keys at the top level, got " + describe(root));
        }
        flatten(file, "", root, into);
    }

    private static void flatten(Path file, String prefix, JsonNode node, Map<ConfigKey, Raw> into) {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            JsonNode value = entry.getValue();
            Optional<ConfigKey> key = ConfigKey.byPath(path);
            List<String> children = Arrays.stream(ConfigKey.values()).map(ConfigKey::path)
                    .filter(p -> p.startsWith(path + ".")).toList();
            if (key.isEmpty() && children.isEmpty()) {
                throw new ConfigException(file + ": unknown key \"" + path + "\"" + suggestion(path));
            }
            if (key.isEmpty()) {
                if (!value.isObject() && !value.isNull()) {
                    throw new ConfigException(file + ": " + path + ": expected a mapping of keys ("
                            + String.join(", ", children) + "), got " + describe(value));
                }
                if (value.isObject()) {
                    flatten(file, path, value, into);
                }
                continue;
            }
            if (value.isNull()) {
                continue; // "key:" with nothing after it leaves the key unset
            }
            if (value.isContainerNode()) {
                throw new ConfigException(file + ": " + key.get().display() + ": expected a single value, got " + describe(value));
            }
            into.put(key.get(), new Raw(value.asText(), Source.FILE));
        }
    }

    private static String suggestion(String path) {
        Optional<String> near = Arrays.stream(ConfigKey.values()).map(ConfigKey::path)
                .filter(p -> editDistance(p, path) <= 3)
                .min((a, b) -> Integer.compare(editDistance(a, path), editDistance(b, path)));
        return near.map(p -> "; did you mean \"" + p + "\"?")
                .orElseGet(() -> "; known keys: " + Arrays.stream(ConfigKey.values()).map(ConfigKey::path)
                        .collect(Collectors.joining(", ")));
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * SnakeYAML's messages span lines: a context, then indented "in 'reader', line…" marks and a
     * caret drawing, then the problem. The unindented lines are the words; the rest repeats the location.
     */
    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "cannot parse it";
        }
        String words = message.strip().lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .map(String::strip)
                .collect(Collectors.joining(": "));
        return words.isEmpty() ? "cannot parse it" : words;
    }

    private static String describe(JsonNode node) {
        JsonNodeType type = node.getNodeType();
        return switch (type) {
            case ARRAY -> "a list";
            case OBJECT, POJO -> "a mapping";
            case NULL, MISSING -> "nothing";
            default -> "\"" + node.asText() + "\"";
        };
    }

    /** A value before validation, with where it came from. */
    private record Raw(String value, Source source) {
    }

    /** Turns the raw values into the typed configuration; the first bad value stops it. */
    private static final class Resolution {
        private final Optional<Path> file;
        private final Map<ConfigKey, Raw> raw;
        private final Profile profile;

        Resolution(Optional<Path> file, Map<ConfigKey, Raw> raw, Profile profile) {
            this.file = file;
            this.raw = raw;
            this.profile = profile;
        }

        ScimitarConfig resolve() {
            ListenAddress listen = ListenAddress.parse(text(ConfigKey.SCIM_LISTEN, profile.defaultListen()))
                    .orElseThrow(() -> invalid(ConfigKey.SCIM_LISTEN, "expected host:port with a port 0-65535"));
            Optional<Secret> token = optional(ConfigKey.SCIM_TOKEN).map(v -> token(ConfigKey.SCIM_TOKEN, v));
            Optional<Path> tokenFile = optional(ConfigKey.SCIM_TOKEN_FILE).map(v -> path(ConfigKey.SCIM_TOKEN_FILE, v));
            List<Secret> fileTokens = tokenFile.map(f -> tokenFileTokens(ConfigKey.SCIM_TOKEN_FILE, f)).orElse(List.of());
            int maxBodyBytes = integer(ConfigKey.SCIM_MAX_BODY_BYTES, ScimConfig.DEFAULT_MAX_BODY_BYTES,
                    ScimConfig.MIN_MAX_BODY_BYTES, ScimConfig.MAX_MAX_BODY_BYTES);
            Optional<URI> baseUrl = optional(ConfigKey.SCIM_BASE_URL).map(this::baseUrl);
            boolean unique = bool(ConfigKey.SCIM_GROUP_DISPLAY_NAME_UNIQUE, true);
            int maxResults = integer(ConfigKey.SCIM_MAX_RESULTS, ScimConfig.DEFAULT_MAX_RESULTS, 1,
                    ScimConfig.MAX_MAX_RESULTS);
            StoreLocation store = store();
            ScimConfig scim = new ScimConfig(listen, token, tokenFile, fileTokens, maxBodyBytes, baseUrl, unique,
                    maxResults);
            Map<ConfigKey, Source> sources = new EnumMap<>(ConfigKey.class);
            raw.forEach((key, value) -> sources.put(key, value.source()));
            Duration retention = duration(ConfigKey.CHANGELOG_RETENTION, ScimitarConfig.DEFAULT_CHANGELOG_RETENTION);
            return new ScimitarConfig(file, scim, feed(scim), store, retention, sidecar(), sources);
        }

        private StoreLocation store() {
            StoreLocation store;
            try {
                store = StoreLocation.parse(text(ConfigKey.STORE, StoreLocation.DEFAULT));
            } catch (IllegalArgumentException e) {
                throw invalid(ConfigKey.STORE, e.getMessage());
            }
            Optional<String> user = optional(ConfigKey.STORE_USER).map(v -> word(ConfigKey.STORE_USER, v));
            Optional<String> password = optional(ConfigKey.STORE_PASSWORD);
            Optional<Path> passwordFile = optional(ConfigKey.STORE_PASSWORD_FILE)
                    .map(v -> path(ConfigKey.STORE_PASSWORD_FILE, v));
            if (!(store instanceof StoreLocation.Postgres postgres)) {
                for (ConfigKey key : List.of(ConfigKey.STORE_USER, ConfigKey.STORE_PASSWORD, ConfigKey.STORE_PASSWORD_FILE)) {
                    if (raw.containsKey(key)) {
                        throw invalid(key, "expected no database credentials for a SQLite store (they apply to jdbc:postgresql:)");
                    }
                }
                return store;
            }
            if (password.isPresent() && passwordFile.isPresent()) {
                throw invalid(ConfigKey.STORE_PASSWORD_FILE, "expected either store-password or store-password-file, not both");
            }
            if (password.isPresent() && password.get().isEmpty()) {
                throw invalid(ConfigKey.STORE_PASSWORD, "expected a non-empty password");
            }
            Optional<Secret> secret = password.map(Secret::new).or(() -> passwordFile.map(this::passwordFromFile));
            return postgres.withCredentials(user, secret, passwordFile);
        }

        /** The file's first line (a trailing newline is not part of the password). */
        private Secret passwordFromFile(Path file) {
            String content;
            try {
                content = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw invalid(ConfigKey.STORE_PASSWORD_FILE, "expected a readable file with the password: no such file");
            } catch (AccessDeniedException e) {
                throw invalid(ConfigKey.STORE_PASSWORD_FILE, "expected a readable file with the password: permission denied");
            } catch (IOException e) {
                throw invalid(ConfigKey.STORE_PASSWORD_FILE, "expected a readable file with the password: " + e.getMessage());
            }
            String line = content.lines().findFirst().orElse("");
            if (line.isEmpty()) {
                throw invalid(ConfigKey.STORE_PASSWORD_FILE, "expected the password on the file's first line; it is empty");
            }
            return new Secret(line);
        }

        /**
         * The feed's keys: the tokens (the receiver accepts them; a sidecar presents the first), the
         * receivers a sidecar follows, the staleness bound. A feed token that is also a SCIM token is
         * refused, so neither opens the other's door.
         */
        private FeedConfig feed(ScimConfig scim) {
            Optional<Secret> token = optional(ConfigKey.FEED_TOKEN).map(v -> token(ConfigKey.FEED_TOKEN, v));
            Optional<Path> tokenFile = optional(ConfigKey.FEED_TOKEN_FILE).map(v -> path(ConfigKey.FEED_TOKEN_FILE, v));
            List<Secret> fileTokens = tokenFile.map(f -> tokenFileTokens(ConfigKey.FEED_TOKEN_FILE, f)).orElse(List.of());
            List<Secret> scimTokens = new ArrayList<>(scim.tokenFileTokens());
            scim.token().ifPresent(scimTokens::add);
            if (token.isPresent() && scimTokens.contains(token.get())) {
                throw invalid(ConfigKey.FEED_TOKEN, "expected a token of its own, not one of the SCIM tokens");
            }
            if (fileTokens.stream().anyMatch(scimTokens::contains)) {
                throw invalid(ConfigKey.FEED_TOKEN_FILE, "expected tokens of their own, not the SCIM tokens");
            }
            return new FeedConfig(optional(ConfigKey.FEED_URLS).map(this::feedUrls).orElse(List.of()), token, tokenFile,
                    fileTokens, duration(ConfigKey.FEED_MAX_STALENESS, FeedConfig.DEFAULT_MAX_STALENESS));
        }

        /** Receiver base URLs, comma-separated: each absolute http(s), without query or fragment, each once. */
        private List<URI> feedUrls(String value) {
            String expected = "expected comma-separated receiver base URLs, e.g. http://receiver-a:8081,http://receiver-b:8081";
            List<URI> urls = new ArrayList<>();
            for (String part : value.split(",", -1)) {
                URI uri = uri(ConfigKey.FEED_URLS, part, expected);
                String scheme = uri.getScheme();
                if (part.isBlank() || scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                        || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                        || uri.getRawFragment() != null) {
                    throw invalid(ConfigKey.FEED_URLS, expected);
                }
                // The client appends /feed/v1/...: a base written with a trailing slash means the same receiver.
                String text = uri.toString();
                URI base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
                if (urls.contains(base)) {
                    throw invalid(ConfigKey.FEED_URLS, "names " + base + " twice; " + expected);
                }
                urls.add(base);
            }
            return urls;
        }

        private SidecarConfig sidecar() {
            String attribute = text(ConfigKey.AUTH_USER_ATTRIBUTE, SidecarConfig.DEFAULT_USER_ATTRIBUTE).strip();
            String knownAttribute = SidecarConfig.USER_ATTRIBUTES.stream().filter(a -> a.equalsIgnoreCase(attribute))
                    .findFirst().orElseThrow(() -> invalid(ConfigKey.AUTH_USER_ATTRIBUTE,
                            "expected one of " + String.join(", ", SidecarConfig.USER_ATTRIBUTES)));
            return new SidecarConfig(
                    listenAddress(ConfigKey.LISTEN, profile.defaultSidecarListen()),
                    listenAddress(ConfigKey.ADMIN_LISTEN, SidecarConfig.DEFAULT_ADMIN_LISTEN),
                    optional(ConfigKey.UPSTREAM).map(v -> upstream(v)),
                    optional(ConfigKey.POLICY).map(v -> path(ConfigKey.POLICY, v)),
                    optional(ConfigKey.AUTH_JWKS_URL).map(v -> httpUrl(ConfigKey.AUTH_JWKS_URL, v)),
                    optional(ConfigKey.AUTH_ISSUER).map(v -> word(ConfigKey.AUTH_ISSUER, v)),
                    optional(ConfigKey.AUTH_AUDIENCE).map(v -> word(ConfigKey.AUTH_AUDIENCE, v)),
                    word(ConfigKey.AUTH_USER_CLAIM, text(ConfigKey.AUTH_USER_CLAIM, SidecarConfig.DEFAULT_USER_CLAIM)),
                    knownAttribute,
                    optional(ConfigKey.AUTH_COOKIE).map(v -> cookieName(v)),
                    optional(ConfigKey.AUTH_ALB_ARN).map(v -> albArn(v)),
                    optional(ConfigKey.AUTH_ALB_KEY_URL).map(v -> httpUrl(ConfigKey.AUTH_ALB_KEY_URL, v)),
                    optional(ConfigKey.TLS_CERT).map(v -> readableFile(ConfigKey.TLS_CERT, v)),
                    optional(ConfigKey.TLS_KEY).map(v -> readableFile(ConfigKey.TLS_KEY, v)),
                    integer(ConfigKey.MAX_BODY_BYTES, (int) SidecarConfig.DEFAULT_MAX_BODY_BYTES, 0, Integer.MAX_VALUE),
                    duration(ConfigKey.TIMEOUT_CONNECT, SidecarConfig.DEFAULT_CONNECT_TIMEOUT),
                    duration(ConfigKey.TIMEOUT_RESPONSE_HEADERS, SidecarConfig.DEFAULT_RESPONSE_HEADERS_TIMEOUT),
                    duration(ConfigKey.TIMEOUT_IDLE, SidecarConfig.DEFAULT_IDLE_TIMEOUT),
                    duration(ConfigKey.DRAIN_TIMEOUT, SidecarConfig.DEFAULT_DRAIN_TIMEOUT));
        }

        private ListenAddress listenAddress(ConfigKey key, String fallback) {
            return ListenAddress.parse(text(key, fallback))
                    .orElseThrow(() -> invalid(key, "expected host:port with a port 0-65535"));
        }

        /** The app: plain HTTP on a host and port, nothing else (the path is the request's own). */
        private URI upstream(String value) {
            String expected = "expected http://host:port, e.g. http://127.0.0.1:8080";
            URI uri = uri(ConfigKey.UPSTREAM, value, expected);
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1
                    || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
                throw invalid(ConfigKey.UPSTREAM, expected);
            }
            return uri;
        }

        private URI httpUrl(ConfigKey key, String value) {
            String expected = "expected an absolute http(s) URL";
            URI uri = uri(key, value, expected);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
                throw invalid(key, expected);
            }
            return uri;
        }

        private URI uri(ConfigKey key, String value, String expected) {
            try {
                return new URI(value.strip());
            } catch (URISyntaxException e) {
                throw invalid(key, expected);
            }
        }

        private Path path(ConfigKey key, String value) {
            try {
                return Path.of(value.strip());
            } catch (InvalidPathException e) {
                throw invalid(key, "expected a file path");
            }
        }

        private Path readableFile(ConfigKey key, String value) {
            Path path = path(key, value);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw invalid(key, "expected a readable file");
            }
            return path;
        }

        /** A claim, issuer or audience: one printable value without spaces. */
        private String word(ConfigKey key, String value) {
            String s = value.strip();
            if (s.isEmpty() || !s.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
                throw invalid(key, "expected a non-empty value without spaces");
            }
            return s;
        }

        /** RFC 6265 §4.1.1: a cookie name is a token (RFC 9110 §5.6.2). */
        private String cookieName(String value) {
            String s = value.strip();
            if (s.isEmpty() || !s.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw invalid(ConfigKey.AUTH_COOKIE, "expected a cookie name (letters, digits and !#$%&'*+-.^_`|~)");
            }
            return s;
        }

        private String albArn(String value) {
            String s = value.strip();
            if (!s.matches("arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:loadbalancer/app/[A-Za-z0-9-]+/[0-9a-f]+")) {
                throw invalid(ConfigKey.AUTH_ALB_ARN,
                        "expected an application load balancer ARN, arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID");
            }
            return s;
        }

        /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 7d}, or ISO-8601 ({@code PT2S}); positive. */
        private Duration duration(ConfigKey key, Duration fallback) {
            Optional<String> value = optional(key);
            if (value.isEmpty()) {
                return fallback;
            }
            String expected = "expected a positive duration such as 500ms, 2s, 5m or 1h";
            String s = value.get().strip().toLowerCase(Locale.ROOT);
            Duration d;
            try {
                if (s.startsWith("p")) {
                    d = Duration.parse(s.toUpperCase(Locale.ROOT));
                } else {
                    Matcher m = SHORT_DURATION.matcher(s);
                    if (!m.matches()) {
                        throw invalid(key, expected);
                    }
                    long n = Long.parseLong(m.group(1));
                    d = switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
                }
            } catch (DateTimeParseException e) {
                throw invalid(key, expected);
            }
            if (d.isZero() || d.isNegative()) {
                throw invalid(key, expected);
            }
            return d;
        }

        private String text(ConfigKey key, String fallback) {
            Raw value = raw.get(key);
            return value == null ? fallback : value.value();
        }

        private Optional<String> optional(ConfigKey key) {
            return Optional.ofNullable(raw.get(key)).map(Raw::value);
        }

        private Secret token(ConfigKey key, String value) {
            String token = value.strip();
            if (token.length() < ScimConfig.MIN_TOKEN_LENGTH) {
                throw invalid(key, "expected a token of at least " + ScimConfig.MIN_TOKEN_LENGTH
                        + " characters");
            }
            if (!isTokenText(token)) {
                throw invalid(key, "expected a token of printable characters without spaces");
            }
            return new Secret(token);
        }

        private List<Secret> tokenFileTokens(ConfigKey key, Path tokenFile) {
            List<String> tokens;
            try {
                tokens = BearerTokens.readTokenFile(tokenFile);
            } catch (NoSuchFileException e) {
                throw invalid(key, "expected a readable file of tokens: no such file");
            } catch (AccessDeniedException e) {
                throw invalid(key, "expected a readable file of tokens: permission denied");
            } catch (IOException e) {
                throw invalid(key, "expected a readable file of tokens: " + e.getMessage());
            }
            List<Secret> result = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String token = tokens.get(i);
                if (token.length() < ScimConfig.MIN_TOKEN_LENGTH) {
                    throw invalid(key, "token " + (i + 1) + " in the file has "
                            + token.length() + " characters, expected at least " + ScimConfig.MIN_TOKEN_LENGTH);
                }
                if (!isTokenText(token)) {
                    throw invalid(key, "token " + (i + 1)
                            + " in the file has spaces or control characters, expected one token per line");
                }
                result.add(new Secret(token));
            }
            return result;
        }

        private static boolean isTokenText(String token) {
            return token.chars().allMatch(c -> c > 0x20 && c != 0x7f);
        }

        private int integer(ConfigKey key, int fallback, int min, int max) {
            Optional<String> value = optional(key);
            if (value.isEmpty()) {
                return fallback;
            }
            String expected = "expected a whole number from " + min + " to " + max;
            String s = value.get().strip().replace("_", "");
            if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid(key, expected);
            }
            long n = Long.parseLong(s);
            if (n < min || n > max) {
                throw invalid(key, expected);
            }
            return (int) n;
        }

        private boolean bool(ConfigKey key, boolean fallback) {
            Optional<String> value = optional(key);
            if (value.isEmpty()) {
                return fallback;
            }
            return switch (value.get().strip().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw invalid(key, "expected true or false");
            };
        }

        private URI baseUrl(String value) {
            String expected = "expected an absolute http(s) URL without query or fragment, e.g. https://scim.example.com/scim/v2";
            URI uri;
            try {
                uri = new URI(value.strip());
            } catch (URISyntaxException e) {
                throw invalid(ConfigKey.SCIM_BASE_URL, expected);
            }
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw invalid(ConfigKey.SCIM_BASE_URL, expected);
            }
            return uri;
        }

        private ConfigException invalid(ConfigKey key, String expected) {
            Raw value = Objects.requireNonNull(raw.get(key), "only a configured value can be invalid");
            String where = value.source() == Source.FILE ? file.map(f -> f + ": ").orElse("") : "";
            return new ConfigException(where + key.display() + " = " + shown(key, value.value()) + ": " + expected);
        }

        private static String shown(ConfigKey key, String value) {
            if (key.secret()) {
                return "<redacted, " + value.strip().length() + " characters>";
            }
            String s = value;
            if (key == ConfigKey.STORE) {
                // A database URL can carry a password, in its user info or its parameters.
                s = s.replaceAll("//[^/@]*@", "//***@");
                int query = s.indexOf('?');
                s = query < 0 ? s : s.substring(0, query) + "?…";
            }
            return quote(s);
        }

        private static String quote(String s) {
            StringBuilder out = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x7f) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append('"').toString();
        }
    }
}
