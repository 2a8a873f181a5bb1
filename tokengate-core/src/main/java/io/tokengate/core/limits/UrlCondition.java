package io.tokengate.core.limits;

import io.tokengate.core.request.Quote;
import io.tokengate.core.request.RequestView;

/** The URL regex: it matches the whole of {@code PUBLIC_URL + canonical path}. */
public final class UrlCondition implements Condition {
    private final Regex regex;

    UrlCondition(Regex regex) {
        this.regex = regex;
    }

    public Regex regex() {
        return regex;
    }

    @Override
    public boolean matches(RequestView request) {
        return regex.matchesFully(request.url());
    }

    @Override
    public String mismatch(RequestView request) {
        return "URL '" + Quote.shorten(request.url()) + "' does not match '" + regex + "'";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UrlCondition that && regex.equals(that.regex);
    }

    @Override
    public int hashCode() {
        return regex.hashCode();
    }

    @Override
    public String toString() {
        return regex.source();
    }
}
