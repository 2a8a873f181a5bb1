package io.tokengate.core.request;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A query string read the way Jira's servlet container reads it: parameters separated by
 * {@code &}, name and value split at the first {@code =}, {@code +} as a space, percent-escapes as
 * UTF-8. A parameter without {@code =} has the empty value. Anything that does not decode cleanly
 * is refused, because the upstream might read it differently.
 *
 * <p>The query is forwarded as received ({@link #forwarded()}), except for characters that no URI
 * may carry as they are: quotes, braces, the bar and the like, which Jira's Tomcat accepts in a
 * query and curl sends unescaped ({@code jql=project="ABC"}), and any character beyond ASCII. Those
 * are percent-encoded as UTF-8, which every server decodes to the same parameters, so the upstream
 * reads exactly the values the restrictions were checked against.
 */
public final class QueryString {
    private static final QueryString EMPTY = new QueryString("", Map.of());
    private static final String URI_QUERY_PUNCTUATION = "-_.!~*'();/?:@&=+$,%";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

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

    /** The query exactly as received. */
    public String raw() {
        return raw;
    }

    /**
     * The query as the upstream gets it: as received, with every character a URI may not carry
     * as it is percent-encoded as UTF-8; the same string when there is none (the usual case).
     */
    public String forwarded() {
        int i = 0;
        while (i < raw.length() && mayStayAsItIs(raw.charAt(i))) {
            i++;
        }
        if (i == raw.length()) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length() + 16).append(raw, 0, i);
        while (i < raw.length()) {
            int c = raw.codePointAt(i);
            if (c < 0x80 && mayStayAsItIs((char) c)) {
                out.append((char) c);
            } else {
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            }
            i += Character.charCount(c);
        }
        return out.toString();
    }

    /** Letters, digits and the punctuation {@link java.net.URI} takes in a query unescaped. */
    private static boolean mayStayAsItIs(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || URI_QUERY_PUNCTUATION.indexOf(c) >= 0;
    }

    @Override
    public String toString() {
        return raw;
    }
}
