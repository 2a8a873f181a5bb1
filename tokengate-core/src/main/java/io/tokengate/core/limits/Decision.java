package io.tokengate.core.limits;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The verdict of limits on one request: allowed (by a named rule, or because the token has no
 * limits) or denied, with each rule's first failing part.
 */
public final class Decision {
    private static final Decision UNRESTRICTED = new Decision(true, null, List.of());
    private final boolean allowed;
    private final Rule rule;
    private final List<RuleFailure> failures;

    private Decision(boolean allowed, Rule rule, List<RuleFailure> failures) {
        this.allowed = allowed;
        this.rule = rule;
        this.failures = List.copyOf(failures);
    }

    static Decision unrestricted() {
        return UNRESTRICTED;
    }

    static Decision allowedBy(Rule rule) {
        return new Decision(true, rule, List.of());
    }

    static Decision denied(List<RuleFailure> failures) {
        return new Decision(false, null, failures);
    }

    public boolean allowed() {
        return allowed;
    }

    /** The rule that allowed the request; empty when denied or when there are no limits. */
    public Optional<Rule> rule() {
        return Optional.ofNullable(rule);
    }

    /** For a denial, one entry per rule, in rule order. */
    public List<RuleFailure> failures() {
        return failures;
    }

    /** One line, for the audit log and error messages. */
    public String reason() {
        if (allowed) {
            return rule == null
                    ? "allowed: the token has no limits"
                    : "allowed by rule " + rule.number() + " (line " + rule.line() + ")";
        }
        return "denied: " + failures.stream().map(RuleFailure::toString).collect(Collectors.joining("; "));
    }

    /** Several lines, for people: the verdict, then the matching rule or each rule's failure. */
    public String explain() {
        StringBuilder out = new StringBuilder();
        if (allowed && rule == null) {
            return out.append("ALLOWED: the token has no limits, so every supported endpoint is allowed")
                    .toString();
        }
        if (allowed) {
            return out.append("ALLOWED by rule ")
                    .append(rule.number())
                    .append(" (line ")
                    .append(rule.line())
                    .append("): ")
                    .append(rule)
                    .toString();
        }
        out.append("DENIED: no rule matches");
        for (RuleFailure failure : failures) {
            out.append(System.lineSeparator())
                    .append("  rule ")
                    .append(failure.rule().number())
                    .append(" (line ")
                    .append(failure.rule().line())
                    .append("): ")
                    .append(failure.rule())
                    .append(System.lineSeparator())
                    .append("    failed at ")
                    .append(failure.part())
                    .append(": ")
                    .append(failure.reason());
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return reason();
    }
}
