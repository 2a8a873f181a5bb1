package io.tokengate.core.limits;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Limits that do not parse. Carries every problem found (at most one per line), first problem
 * first; the message reads like {@code line 3, column 17: unknown condition 'Header' (expected
 * QueryParam or JsonData)}.
 */
public final class LimitsSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<LimitsProblem> problems;

    LimitsSyntaxException(List<LimitsProblem> problems) {
        super(problems.stream().map(LimitsProblem::toString).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a syntax error needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<LimitsProblem> problems() {
        return problems;
    }

    /** The first problem's line. */
    public int line() {
        return problems.get(0).line();
    }

    /** The first problem's column. */
    public int column() {
        return problems.get(0).column();
    }

    /** The first problem's reason, without its position. */
    public String reason() {
        return problems.get(0).reason();
    }
}
