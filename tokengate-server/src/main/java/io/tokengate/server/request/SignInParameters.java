package io.tokengate.server.request;

import io.tokengate.core.request.MalformedRequestException;
import io.tokengate.core.request.QueryString;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The query parameters by which Jira signs a request in by itself: {@code os_username} and {@code
 * os_password}, which Jira's authentication filter (Seraph) reads on any URL, REST included; and
 * OAuth 1.0a's ({@code oauth_consumer_key}, {@code oauth_token}, {@code oauth_signature}, all of
 * which an OAuth request has), which Jira's OAuth filter reads from the parameters as from the
 * Authorization header. A request carrying them would run in Jira as whoever they name rather than
 * as the user the token stands for, under restrictions and an audit record that name the token's
 * user; and a password would be kept in the audit record's query. The gateway refuses such a
 * request, and so does a dry run; the audit record keeps the password's place, not its value
 * ({@link #redacted}).
 */
public final class SignInParameters {
    static final String USER = "os_username";
    static final String PASSWORD = "os_password";
    private static final List<String> NAMES =
            List.of(USER, PASSWORD, "oauth_consumer_key", "oauth_token", "oauth_signature");
    static final String REDACTED = "REDACTED";

    private SignInParameters() {}

    /** The first sign-in parameter's name as the request spells it (any case), when it has one. */
    public static Optional<String> parameterIn(Collection<String> names) {
        for (String name : names) { // on every request: no stream to build
            for (String signIn : NAMES) {
                if (name.equalsIgnoreCase(signIn)) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * {@code rawQuery} with the value of every {@code os_password} parameter (its name decoded, in
     * any case) replaced by {@value #REDACTED}: what the audit log keeps of a query. The same
     * string when it has none, the usual case, found without decoding anything; null for null.
     */
    public static String redacted(String rawQuery) {
        if (rawQuery == null || (rawQuery.indexOf('%') < 0 && !mentionsPassword(rawQuery))) {
            return rawQuery;
        }
        StringBuilder out = null; // made at the first password: most queries with escapes have none
        int start = 0;
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            int eq = rawQuery.indexOf('=', start);
            if (eq >= 0 && eq < end && isPassword(rawQuery, start, eq)) {
                if (out == null) {
                    out = new StringBuilder(rawQuery.length()).append(rawQuery, 0, start);
                }
                out.append(rawQuery, start, eq + 1).append(REDACTED);
            } else if (out != null) {
                out.append(rawQuery, start, end);
            }
            if (amp >= 0 && out != null) {
                out.append('&');
            }
            start = end + 1;
        }
        return out == null ? rawQuery : out.toString();
    }

    private static boolean mentionsPassword(String rawQuery) {
        for (int i = 0; i + PASSWORD.length() <= rawQuery.length(); i++) {
            if (rawQuery.regionMatches(true, i, PASSWORD, 0, PASSWORD.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the raw parameter name {@code raw[from, to)} decodes to {@code os_password}, in any
     * case; one that does not decode is not (the gateway refuses it as malformed).
     */
    private static boolean isPassword(String raw, int from, int to) {
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            escaped |= c == '%' || c == '+';
        }
        if (!escaped) {
            return to - from == PASSWORD.length() && raw.regionMatches(true, from, PASSWORD, 0, PASSWORD.length());
        }
        try {
            return QueryString.parse(raw.substring(from, to)).asMap().keySet().stream()
                    .anyMatch(PASSWORD::equalsIgnoreCase);
        } catch (MalformedRequestException e) {
            return false;
        }
    }
}
