package io.tokengate.core.request;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A query string read the way Jira's servlet container reads it: parameters separated by
 * {@code &}, name and value split at the first {@code =}, {@code +} as a space, percent-escapes as
 * UTF-8. A parameter without {@code =} has the empty value. Anything that does not decode cleanly
 * is refused, because the upstream might read it differently. The raw query is forwarded unchanged.
 */
public final class QueryString {
    private static final QueryString EMPTY = new QueryString("", Map.of());
    private final String raw;
    private final Map<String, List<String>> values;

    private QueryString(String raw, Map<String, List<String>> values) {
        this.raw = raw;
        this.values = values;
    }

    public static QueryString empty() {
        return EMPTY;
    }

    /**
     * Parses a raw query (without the leading {@code ?}); null or empty gives the empty query.
     *
     * @throws MalformedRequestException for invalid percent-encoding or invalid UTF-8
     */
    public static QueryString parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        int start = 0;
        while (start <= raw.length()) {
            int amp = raw.indexOf('&', start);
            int end = amp < 0 ? raw.length() : amp;
            if (end > start) {
                int eq = raw.indexOf('=', start);
                int nameEnd = eq < 0 || eq > end ? end : eq;
                String name = PercentDecoder.decode(raw, start, nameEnd, true, PercentDecoder.ANY, "query");
                String value = nameEnd == end
                        ? ""
                        : PercentDecoder.decode(raw, nameEnd + 1, end, true, PercentDecoder.ANY, "query");
                values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        values.replaceAll((name, list) -> Collections.unmodifiableList(list));
        return new QueryString(raw, Collections.unmodifiableMap(values));
    }

    /** Every decoded value of {@code name}, in order; empty when the parameter is absent. */
    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The decoded parameters in order of first appearance. */
    public Map<String, List<String>> asMap() {
        return values;
    }

    /** The query exactly as received; this is what the upstream gets. */
    public String raw() {
        return raw;
    }

    @Override
    public String toString() {
        return raw;
    }
}
