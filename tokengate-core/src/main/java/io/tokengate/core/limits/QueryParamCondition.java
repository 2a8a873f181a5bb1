package io.tokengate.core.limits;

import io.tokengate.core.request.Quote;
import io.tokengate.core.request.RequestView;
import java.util.List;

/**
 * {@code [QueryParam::NAME==REGEX]}: the parameter occurs at least once and every one of its
 * decoded values matches REGEX in full, so that {@code ?permissions=true&permissions=false} cannot
 * slip a second value past a check of the first.
 */
public final class QueryParamCondition implements Condition {
    private final String name;
    private final Regex regex;

    QueryParamCondition(String name, Regex regex) {
        this.name = name;
        this.regex = regex;
    }

    public String name() {
        return name;
    }

    public Regex regex() {
        return regex;
    }

    @Override
    public boolean matches(RequestView request) {
        List<String> values = request.queryValues(name);
        if (values.isEmpty()) {
            return false;
        }
        for (String value : values) {
            if (!regex.matchesFully(value)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String mismatch(RequestView request) {
        List<String> values = request.queryValues(name);
        if (values.isEmpty()) {
            return "query parameter '" + Quote.shorten(name) + "' is absent";
        }
        for (String value : values) {
            if (!regex.matchesFully(value)) {
                String which = values.size() == 1 ? "value" : "one of " + values.size() + " values";
                return "query parameter '" + Quote.shorten(name) + "': " + which + " '" + Quote.shorten(value)
                        + "' does not match '" + regex + "'";
            }
        }
        return "query parameter '" + Quote.shorten(name) + "' matches";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QueryParamCondition that && name.equals(that.name) && regex.equals(that.regex);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + regex.hashCode();
    }

    @Override
    public String toString() {
        return "[QueryParam::" + name + "==" + regex + "]";
    }
}
