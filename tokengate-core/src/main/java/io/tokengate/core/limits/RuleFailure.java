package io.tokengate.core.limits;

/** Why one rule did not allow a request: its first part that failed, and the reason. */
public record RuleFailure(Rule rule, Condition part, String reason) {
    @Override
    public String toString() {
        return "rule " + rule.number() + " (line " + rule.line() + ") " + reason;
    }
}
