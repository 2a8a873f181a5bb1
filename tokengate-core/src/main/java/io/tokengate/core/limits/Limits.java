package io.tokengate.core.limits;

import io.tokengate.core.request.RequestView;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Parsed, immutable limits: the rules of one token. A request is allowed when any rule matches;
 * no rules at all means no restriction. Obtained from {@link LimitsParser#parse(String)}.
 */
public final class Limits {
    private static final Limits NONE = new Limits(List.of());
    private final List<Rule> rules;
    private final boolean mentionsBody;

    Limits(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.mentionsBody = rules.stream().anyMatch(Rule::needsBody);
    }

    /** Limits without rules: every supported endpoint is allowed. */
    public static Limits none() {
        return NONE;
    }

    public List<Rule> rules() {
        return rules;
    }

    public boolean isUnrestricted() {
        return rules.isEmpty();
    }

    /**
     * Whether deciding on {@code request} needs its body: evaluation in rule order would reach a
     * JSON condition. Asks the request for its method, URL and query only.
     */
    public boolean needsBody(RequestView request) {
        if (!mentionsBody) {
            return false;
        }
        try {
            for (Rule rule : rules) {
                if (rule.matchesWithoutBody(request)) {
                    return rule.needsBody();
                }
            }
            return false;
        } catch (RuntimeException | StackOverflowError e) {
            return false; // evaluate() will deny with the reason
        }
    }

    /** Decides on {@code request}. Never throws: a part that cannot be evaluated does not hold. */
    public Decision evaluate(RequestView request) {
        if (rules.isEmpty()) {
            return Decision.unrestricted();
        }
        for (Rule rule : rules) {
            boolean matches;
            try {
                matches = rule.matches(request);
            } catch (RuntimeException | StackOverflowError e) {
                matches = false;
            }
            if (matches) {
                return Decision.allowedBy(rule);
            }
        }
        List<RuleFailure> failures = new ArrayList<>(rules.size());
        for (Rule rule : rules) {
            // A rule that matched on re-evaluation (a non-deterministic view) still does not allow.
            failures.add(rule.failure(request)
                    .orElseGet(
                            () -> new RuleFailure(rule, rule.parts().get(0), "could not be evaluated consistently")));
        }
        return Decision.denied(failures);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Limits that && rules.equals(that.rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }

    /** The canonical text: one rule per line, without comments or blank lines; it parses back to equal limits. */
    @Override
    public String toString() {
        return rules.stream().map(Rule::toString).collect(Collectors.joining("\n"));
    }
}
