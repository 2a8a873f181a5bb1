package io.tokengate.core.limits;

import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import io.tokengate.core.request.Quote;
import io.tokengate.core.request.RequestView;
import java.util.Set;

/**
 * {@code [JsonData::PATH==REGEX]}: the body is JSON without duplicate keys and the node at PATH
 * matches REGEX in full (see {@link JsonLookup.Found} for the text a node matches as).
 *
 * <p>Only a POST, PUT or PATCH can satisfy it. Jira reads no body of a GET, HEAD, DELETE or
 * OPTIONS, so a condition on one would hold for a request whose effect it does not limit: with
 * {@code .*}{@code /issue/JRA-1[JsonData::fields.labels.0==triaged]}, a DELETE carrying that body
 * would delete the issue.
 */
public final class JsonDataCondition implements Condition {
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

    private final JsonPath path;
    private final Regex regex;

    JsonDataCondition(JsonPath path, Regex regex) {
        this.path = path;
        this.regex = regex;
    }

    public JsonPath path() {
        return path;
    }

    public Regex regex() {
        return regex;
    }

    @Override
    public boolean matches(RequestView request) {
        return BODY_METHODS.contains(request.method())
                && request.json(path) instanceof JsonLookup.Found found
                && regex.matchesFully(found.text());
    }

    @Override
    public String mismatch(RequestView request) {
        if (!BODY_METHODS.contains(request.method())) {
            return "JSON '" + path + "': only a POST, PUT or PATCH body counts, and this is a "
                    + Quote.shorten(request.method());
        }
        JsonLookup lookup = request.json(path);
        if (lookup instanceof JsonLookup.Found found) {
            return "JSON '" + path + "': value '" + Quote.shorten(found.text()) + "' does not match '" + regex + "'";
        }
        if (lookup instanceof JsonLookup.Unusable unusable) {
            return "JSON '" + path + "': " + unusable.reason();
        }
        return "JSON '" + path + "': no such node in the body";
    }

    @Override
    public boolean needsBody() {
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonDataCondition that && path.equals(that.path) && regex.equals(that.regex);
    }

    @Override
    public int hashCode() {
        return 31 * path.hashCode() + regex.hashCode();
    }

    @Override
    public String toString() {
        return "[JsonData::" + path + "==" + regex + "]";
    }
}
