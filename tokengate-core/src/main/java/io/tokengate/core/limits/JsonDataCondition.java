package io.tokengate.core.limits;

import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import io.tokengate.core.request.Quote;
import io.tokengate.core.request.RequestView;

/**
 * {@code [JsonData::PATH==REGEX]}: the body is JSON without duplicate keys and the node at PATH
 * matches REGEX in full (see {@link JsonLookup.Found} for the text a node matches as).
 */
public final class JsonDataCondition implements Condition {
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
        return request.json(path) instanceof JsonLookup.Found found && regex.matchesFully(found.text());
    }

    @Override
    public String mismatch(RequestView request) {
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
