package io.tokengate.core.limits;

/** One reason why limits do not parse, located by 1-based line and column. */
public record LimitsProblem(int line, int column, String reason) {
    @Override
    public String toString() {
        return "line " + line + ", column " + column + ": " + reason;
    }
}
