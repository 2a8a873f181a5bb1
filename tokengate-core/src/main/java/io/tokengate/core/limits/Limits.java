package io.tokengate.core.limits;

import io.tokengate.core.request.JsonPath;
import io.tokengate.core.request.RequestView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parsed, immutable limits: the rules of one token. A request is allowed when any rule matches;
 * no rules at all means no restriction. Obtained from {@link LimitsParser#parse(String)}.
 *
 * <p>The answer is that of evaluating the rules in order, but a {@link RuleIndex} first finds the
 * rules whose URL regex matches, in one pass over the URL, and only those rules' other parts are
 * checked, in rule order, with a {@link QueryIndex} answering their query conditions. Skipping a
 * rule whose method or URL part fails changes nothing: those parts come first, only ask for the
 * method and the URL, and a rule fails at its first failing part. Denials still explain every
 * rule, part by part.
 */
public final class Limits {
    private static final Limits NONE = new Limits(List.of());
    private final List<Rule> rules;
    private final boolean mentionsBody;
    private final Set<JsonPath> jsonPaths;
    private final RuleIndex index;
    private final QueryIndex queryIndex;

    Limits(List<Rule> rules) {
        this(rules, true);
    }

    /** Limits that evaluate rule after rule, part after part when {@code indexed} is false: the reference for tests. */
    Limits(List<Rule> rules, boolean indexed) {
        this.rules = List.copyOf(rules);
        this.mentionsBody = rules.stream().anyMatch(Rule::needsBody);
        Set<JsonPath> paths = new LinkedHashSet<>();
        for (Rule rule : this.rules) {
            for (Condition part : rule.parts()) {
                if (part instanceof JsonDataCondition json) {
                    paths.add(json.path());
                }
            }
        }
        this.jsonPaths = Collections.unmodifiableSet(paths);
        this.index = indexed ? RuleIndex.of(this.rules).orElse(null) : null;
        this.queryIndex = indexed ? QueryIndex.of(this.rules).orElse(null) : null;
    }

    /** The JSON paths the rules' {@code [JsonData::…]} conditions read: what a body is read for. */
    public Set<JsonPath> jsonPaths() {
        return jsonPaths;
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
            Rule.PartCheck check = check(request);
            long[] candidates = urlMatches(request);
            if (candidates == null) {
                for (Rule rule : rules) {
                    if (rule.matchesWithoutBody(check)) {
                        return rule.needsBody();
                    }
                }
                return false;
            }
            for (int i = RuleIndex.next(candidates, 0); i >= 0; i = RuleIndex.next(candidates, i + 1)) {
                if (rules.get(i).matchesBesidesUrlWithoutBody(check)) {
                    return rules.get(i).needsBody();
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
        Rule allowing = firstMatch(request);
        if (allowing != null) {
            return Decision.allowedBy(allowing);
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

    /** The index that finds candidate rules; empty when rules are evaluated one after another. */
    Optional<RuleIndex> index() {
        return Optional.ofNullable(index);
    }

    /** The index that answers query conditions; empty when each condition is checked on its own. */
    Optional<QueryIndex> queryIndex() {
        return Optional.ofNullable(queryIndex);
    }

    /** The first rule, in rule order, whose parts all hold; null when none. A part that throws does not hold. */
    private Rule firstMatch(RequestView request) {
        Rule.PartCheck check = check(request);
        long[] candidates = urlMatches(request);
        if (candidates == null) {
            for (Rule rule : rules) {
                if (holds(check, rule, true)) {
                    return rule;
                }
            }
            return null;
        }
        for (int i = RuleIndex.next(candidates, 0); i >= 0; i = RuleIndex.next(candidates, i + 1)) {
            if (holds(check, rules.get(i), false)) {
                return rules.get(i);
            }
        }
        return null;
    }

    private static boolean holds(Rule.PartCheck check, Rule rule, boolean checkUrl) {
        try {
            return checkUrl ? rule.matches(check) : rule.matchesBesidesUrl(check);
        } catch (RuntimeException | StackOverflowError e) {
            return false;
        }
    }

    /** How this evaluation checks parts: through the query index when there is one. */
    private Rule.PartCheck check(RequestView request) {
        return queryIndex == null ? part -> part.matches(request) : queryIndex.answers(request);
    }

    /**
     * The rules whose method and URL parts hold, from the index, as {@link RuleIndex#matching};
     * null when there is no index, it gave up, or the request cannot say its URL or method: check
     * every rule's parts then.
     */
    private long[] urlMatches(RequestView request) {
        if (index == null) {
            return null;
        }
        try {
            return index.matching(request.url(), request.method());
        } catch (RuntimeException e) {
            return null;
        }
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
