package io.scimitar.authz;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A policy that Scimitar refuses: at start it stops the sidecar, on reload the old policy stays.
 * The message has one line per problem, {@code FILE:LINE: what is wrong; what was expected}, like
 * a compiler's, so that editors and CI logs link to the line.
 */
public final class PolicyException extends RuntimeException {

    private final String source;
    private final List<Problem> problems;

    PolicyException(String source, List<Problem> problems) {
        super(format(source, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a PolicyException needs at least one problem");
        }
        this.source = Objects.requireNonNull(source, "source");
        this.problems = List.copyOf(problems);
    }

    PolicyException(String source, int line, String message) {
        this(source, List.of(new Problem(line, message)));
    }

    /** The file (or other source) the policy was read from. */
    public String source() {
        return source;
    }

    /** Every problem found, in file order. */
    public List<Problem> problems() {
        return problems;
    }

    private static String format(String source, List<Problem> problems) {
        return problems.stream().map(p -> p.format(source)).collect(Collectors.joining("\n"));
    }

    /**
     * One thing wrong with a policy.
     *
     * @param line the 1-based line it is on; 0 when it concerns the whole file (unreadable, empty)
     * @param message what is wrong and what was expected
     */
    public record Problem(int line, String message) {

        public Problem {
            Objects.requireNonNull(message, "message");
        }

        String format(String source) {
            return line > 0 ? source + ":" + line + ": " + message : source + ": " + message;
        }
    }
}
