package io.tokengate.core.limits;

import io.tokengate.core.request.RequestView;
import java.util.List;
import java.util.Optional;

/**
 * One line of limits: all of its parts must hold. Parts are kept in evaluation order: the method
 * list (if any), the URL regex, query-parameter conditions, then JSON conditions, so that the body
 * is consulted last and only when everything else already holds.
 */
public final class Rule {
    private final int number;
    private final int line;
    private final List<Condition> parts;
    private final UrlCondition url;
    private final boolean needsBody;
    private final boolean judgesQuery;
    private final String text;

    /** {@code parts} hold exactly one {@link UrlCondition}. */
    Rule(int number, int line, List<Condition> parts) {
        this.number = number;
        this.line = line;
        this.parts = List.copyOf(parts);
        this.url = onlyUrl(parts);
        this.needsBody = parts.stream().anyMatch(Condition::needsBody);
        this.judgesQuery = parts.stream().anyMatch(QueryParamCondition.class::isInstance);
        this.text = canonical(this.parts);
    }

    private static UrlCondition onlyUrl(List<Condition> parts) {
        List<UrlCondition> urls = parts.stream()
                .filter(UrlCondition.class::isInstance)
                .map(UrlCondition.class::cast)
                .toList();
        if (urls.size() != 1) {
            throw new IllegalArgumentException("a rule has exactly one URL regex: " + parts);
        }
        return urls.get(0);
    }

    /** 1-based position among the rules. */
    public int number() {
        return number;
    }

    /** 1-based line of the limits text this rule was read from. */
    public int line() {
        return line;
    }

    public List<Condition> parts() {
        return parts;
    }

    public boolean needsBody() {
        return needsBody;
    }

    /** Whether a {@code [QueryParam::…]} condition is among the parts. */
    public boolean judgesQueryParameters() {
        return judgesQuery;
    }

    UrlCondition url() {
        return url;
    }

    /**
     * How parts are checked against one request: {@link Condition#matches}, or an index that gives
     * the same answers. May throw as {@link Condition#matches} does.
     */
    interface PartCheck {
        boolean holds(Condition part);
    }

    boolean matches(PartCheck check) {
        return holds(check, true, true);
    }

    /** Whether every part that does not need the body holds. */
    boolean matchesWithoutBody(PartCheck check) {
        return holds(check, true, false);
    }

    /** Whether every part but the URL regex holds: for a rule already known to match the URL. */
    boolean matchesBesidesUrl(PartCheck check) {
        return holds(check, false, true);
    }

    /** Whether every part but the URL regex and those that need the body holds. */
    boolean matchesBesidesUrlWithoutBody(PartCheck check) {
        return holds(check, false, false);
    }

    /** Checks parts in order, stopping at the first that fails. */
    private boolean holds(PartCheck check, boolean checkUrl, boolean checkBody) {
        for (Condition part : parts) {
            if ((checkUrl || part != url) && (checkBody || !part.needsBody()) && !check.holds(part)) {
                return false;
            }
        }
        return true;
    }

    /** The first part that does not hold and why; empty when the rule matches. Never throws. */
    Optional<RuleFailure> failure(RequestView request) {
        for (Condition part : parts) {
            try {
                if (!part.matches(request)) {
                    return Optional.of(new RuleFailure(this, part, part.mismatch(request)));
                }
            } catch (RuntimeException | StackOverflowError e) {
                return Optional.of(new RuleFailure(
                        this, part, "could not be evaluated (" + e.getClass().getSimpleName() + ")"));
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Rule that && parts.equals(that.parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }

    /** The rule in canonical syntax; built once, as every allowed request's audit record names it. */
    @Override
    public String toString() {
        return text;
    }

    private static String canonical(List<Condition> parts) {
        StringBuilder out = new StringBuilder();
        for (Condition part : parts) {
            out.append(part);
        }
        return out.toString();
    }
}
