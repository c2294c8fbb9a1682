package io.scimitar.scim.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer tokens the SCIM endpoint accepts. The source is consulted on every check, so a
 * rotated token (two valid at once, then the old one gone) takes effect without a restart.
 * Comparison is over SHA-256 digests with {@link MessageDigest#isEqual}, against every token,
 * so neither the length nor the position of a match shows in the timing.
 */
public final class BearerTokens {

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokens.class);

    private final Supplier<List<byte[]>> source;
    /** Digests of the last list the source returned, reused while the source returns the same list. */
    private volatile Digests digests = new Digests(List.of(), List.of());

    private BearerTokens(Supplier<List<byte[]>> source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** A fixed set of tokens. */
    public static BearerTokens of(String... tokens) {
        List<byte[]> list = Arrays.stream(tokens).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
        return new BearerTokens(() -> list);
    }

    /** Tokens read from {@code source} on each request (e.g. a Secrets Manager cache). */
    public static BearerTokens of(Supplier<List<byte[]>> source) {
        return new BearerTokens(source);
    }

    /**
     * Tokens read from a file, one per line (blank lines and {@code #} comments skipped), re-read
     * when {@code recheck} has passed since the last read. A failed re-read keeps the previous
     * tokens; the first read must succeed.
     */
    public static BearerTokens fromFile(Path file, Duration recheck) {
        return fromFile(file, recheck, List.of());
    }

    /**
     * Like {@link #fromFile(Path, Duration)}, and also accepts the fixed {@code alsoAccepted} tokens
     * (a token from the environment next to a rotated file).
     */
    public static BearerTokens fromFile(Path file, Duration recheck, List<String> alsoAccepted) {
        List<byte[]> fixed = alsoAccepted.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
        return new BearerTokens(new TokenFile(file, recheck, fixed));
    }

    /** The tokens in a token file, in order: one per line, blank lines and {@code #} comments skipped. */
    public static List<String> readTokenFile(Path file) throws IOException {
        List<String> result = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String token = line.strip();
            if (!token.isEmpty() && !token.startsWith("#")) {
                result.add(token);
            }
        }
        return List.copyOf(result);
    }

    /** True when {@code presented} equals one of the configured tokens; empty never matches. */
    public boolean accepts(String presented) {
        if (presented.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(presented.getBytes(StandardCharsets.UTF_8));
        boolean match = false;
        // No early exit: every configured token is compared whatever the outcome.
        for (byte[] configured : currentDigests()) {
            match |= MessageDigest.isEqual(digest, configured);
        }
        return match;
    }

    /** A short, non-reversible name for a token, safe for logs. */
    public static String fingerprint(String token) {
        return HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)), 0, 4);
    }

    private List<byte[]> currentDigests() {
        List<byte[]> tokens = source.get();
        Digests cached = digests;
        if (cached.source() == tokens) {
            return cached.digests();
        }
        List<byte[]> computed = new ArrayList<>(tokens.size());
        for (byte[] token : tokens) {
            if (token.length > 0) {
                computed.add(sha256(token));
            }
        }
        digests = new Digests(tokens, List.copyOf(computed));
        return computed;
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    private record Digests(List<byte[]> source, List<byte[]> digests) {
    }

    /** Re-reads a token file at most once per interval; the file is a few lines, so a read is cheap. */
    private static final class TokenFile implements Supplier<List<byte[]>> {
        private final Path file;
        private final long recheckNanos;
        private final List<byte[]> fixed;
        private volatile List<byte[]> tokens;
        private volatile long readAt;

        TokenFile(Path file, Duration recheck, List<byte[]> fixed) {
            this.file = Objects.requireNonNull(file, "file");
            this.recheckNanos = Math.max(0, recheck.toNanos());
            this.fixed = List.copyOf(fixed);
            try {
                this.tokens = read();
            } catch (IOException e) {
                throw new UncheckedIOException("token file " + file + ": cannot read it", e);
            }
            this.readAt = System.nanoTime();
        }

        @Override
        public List<byte[]> get() {
            long now = System.nanoTime();
            if (now - readAt >= recheckNanos) {
                synchronized (this) {
                    if (now - readAt >= recheckNanos) {
                        try {
                            tokens = read();
                        } catch (IOException e) {
                            LOG.atWarn().setMessage("token file unreadable; the previous tokens stay in force")
                                    .addKeyValue("event", "token_file_unreadable").addKeyValue("file", file)
                                    .addKeyValue("error", e.toString()).log();
                        }
                        readAt = System.nanoTime();
                    }
                }
            }
            return tokens;
        }

        private List<byte[]> read() throws IOException {
            List<byte[]> result = new ArrayList<>(fixed);
            for (String token : readTokenFile(file)) {
                result.add(token.getBytes(StandardCharsets.UTF_8));
            }
            return List.copyOf(result);
        }
    }
}
