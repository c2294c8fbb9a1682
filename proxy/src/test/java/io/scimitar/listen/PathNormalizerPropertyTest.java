package io.scimitar.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.scimitar.listen.PathNormalizer.Normalized;
import io.scimitar.listen.PathNormalizer.Rejected;
import io.scimitar.listen.PathNormalizer.Result;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties over random request-targets: normalizing is idempotent (and the second time copies
 * nothing), and an app that percent-decodes the forwarded path once reads exactly the segments
 * the policy matched: no '/', '\', ';', NUL or control character appears, no "." or ".." segment.
 */
class PathNormalizerPropertyTest {

    private static final PathNormalizer NORMALIZER = new PathNormalizer();

    /** Pieces that can appear in a path the sidecar forwards, once normalized. */
    private static final List<String> FORWARDABLE = List.of(
            "/", "/", "/", "//", ".", "..", "...", "%2e", "%2E", "%2e%2e", ".%2E", "%41", "%61", "%7e", "%7E",
            "%2d", "%5F", "%20", "%2a", "%2A", "%25", "%3f", "%c3%a9", "%E2%82%AC", "%F0%9F%98%80", "a", "B",
            "api", "admin", "~", "-", "_", ":", "@", "!", "$", "&", "'", "(", "*", "+", ",", "=", "|", "{",
            "}", "^", "[", "`", "\"", "<", "?q=../x", "?a=%2F;b");

    /** Pieces that make a request-target refused, wherever they appear in the path. */
    private static final List<String> HOSTILE = List.of(
            "%2f", "%2F", "%5c", "%5C", "%00", "%3B", "%", "%4", "%zz", "%C3", "%A9", "%C0%AE", ";", "\\",
            "#", " ", "\t", "\u0000", "é", "\uff0f");

    @Provide
    Arbitrary<String> forwardable() {
        return Arbitraries.of(FORWARDABLE).list().ofMaxSize(30).map(parts -> String.join("", parts));
    }

    /** Mostly forwardable pieces with an occasional hostile one, so both outcomes are common. */
    @Provide
    Arbitrary<String> mixed() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of(FORWARDABLE)), Tuple.of(1, Arbitraries.of(HOSTILE)));
        return piece.list().ofMaxSize(30).map(parts -> String.join("", parts));
    }

    @Property(tries = 5000)
    void forwardablePathsAreIdempotentAndReadTheSameWayByTheApp(@ForAll("forwardable") String tail) {
        Result result = NORMALIZER.normalize("/" + tail);
        Statistics.collect(result instanceof Rejected rejected ? rejected.reason() : "normalized");
        if (result instanceof Normalized normalized) {
            assertNormalForm(normalized);
        } else {
            // climbing above the root is the one way these pieces can be refused
            assertThat(((Rejected) result).reason()).isEqualTo(PathNormalizer.Reason.ABOVE_ROOT);
        }
    }

    @Property(tries = 5000)
    void mixedPathsAreNormalizedOrRefusedWithAReason(@ForAll("mixed") String tail) {
        Result result = NORMALIZER.normalize("/" + tail);
        Statistics.collect(result instanceof Rejected rejected ? rejected.reason() : "normalized");
        if (result instanceof Normalized normalized) {
            assertNormalForm(normalized);
        } else {
            assertThat(((Rejected) result).detail()).isNotBlank();
        }
    }

    @Property(tries = 3000)
    void anyTextIsEitherNormalizedOrRejectedNeverAnException(@ForAll String text) {
        for (String target : List.of(text, "/" + text)) {
            Result result = NORMALIZER.normalize(target);
            if (result instanceof Normalized normalized) {
                assertNormalForm(normalized);
            } else {
                assertThat(((Rejected) result).detail()).isNotBlank();
            }
        }
    }

    private static void assertNormalForm(Normalized normalized) {
        String path = normalized.path();
        String forwarded = normalized.requestTarget();
        Result again = NORMALIZER.normalize(forwarded);
        assertThat(again).isEqualTo(normalized);
        if (normalized.rawQuery().isEmpty()) {
            assertThat(((Normalized) again).path()).isSameAs(forwarded);
        }

        assertThat(path).startsWith("/").doesNotContain("//", "?", "#", "\\", ";");
        assertThat(path).matches("[A-Za-z0-9\\-._~!$&'()*+,=:@/%]*");
        // every escape is upper-case hex of an octet that must stay escaped (RFC 3986 §6.2.2.1-2)
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            String hex = path.substring(i + 1, i + 3);
            assertThat(hex).matches("[0-9A-F]{2}");
            char decoded = (char) Integer.parseInt(hex, 16);
            assertThat(Character.isLetterOrDigit(decoded) && decoded < 0x80 || "-._~".indexOf(decoded) >= 0)
                    .as("escape %s of an unreserved character in %s", hex, path).isFalse();
        }

        List<String> segments = List.of(path.substring(1).split("/", -1));
        for (int i = 0; i < segments.size(); i++) {
            String decoded = decodeOnce(segments.get(i));
            boolean last = i == segments.size() - 1;
            assertThat(decoded.isEmpty() && !last).as("empty segment in %s", path).isFalse();
            assertThat(decoded).as("segment of %s as the app reads it", path)
                    .isNotIn(".", "..")
                    .doesNotContain("/", "\\", ";")
                    .doesNotContainPattern("[\\x00-\\x1F\\x7F]");
        }
    }

    /** What an app does with a path segment: percent-decode once, read the octets as UTF-8. */
    private static String decodeOnce(String segment) {
        var octets = new ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                octets.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                octets.write(c);
            }
        }
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(ByteBuffer.wrap(octets.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("forwarded segment is not valid UTF-8 once decoded: " + segment, e);
        }
    }
}
