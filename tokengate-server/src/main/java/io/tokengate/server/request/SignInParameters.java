package io.tokengate.server.request;

import io.tokengate.core.request.MalformedRequestException;
import io.tokengate.core.request.QueryString;
import java.util.Optional;

/**
 * The query parameters by which Jira signs a request in by itself: {@code os_username} and {@code
 * os_password}, which Jira's authentication filter (Seraph) reads on any URL, REST included. A
 * request carrying them would run in Jira as whoever they name rather than as the user the token
 * stands for, under restrictions and an audit record that name the token's user; and the password
 * would be kept in the audit record's query. The gateway refuses such a request, and so does a dry
 * run; the audit record keeps the password's place, not its value ({@link #redacted}).
 */
public final class SignInParameters {
    static final String USER = "os_username";
    static final String PASSWORD = "os_password";
    static final String REDACTED = "REDACTED";

    private SignInParameters() {}

    /** The first sign-in parameter's name as the request spells it (any case), when it has one. */
    public static Optional<String> parameterIn(QueryString query) {
        for (String name : query.asMap().keySet()) { // on every request: no stream to build
            if (name.equalsIgnoreCase(USER) || name.equalsIgnoreCase(PASSWORD)) {
                return Optional.of(name);
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
        StringBuilder out = new StringBuilder(rawQuery.length());
        int start = 0;
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            String part = rawQuery.substring(start, end);
            int eq = part.indexOf('=');
            out.append(eq >= 0 && isPassword(part.substring(0, eq)) ? part.substring(0, eq + 1) + REDACTED : part);
            if (amp >= 0) {
                out.append('&');
            }
            start = end + 1;
        }
        return out.toString();
    }

    private static boolean mentionsPassword(String rawQuery) {
        for (int i = 0; i + PASSWORD.length() <= rawQuery.length(); i++) {
            if (rawQuery.regionMatches(true, i, PASSWORD, 0, PASSWORD.length())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a raw parameter name decodes to {@code os_password}; one that does not decode is not. */
    private static boolean isPassword(String rawName) {
        try {
            return QueryString.parse(rawName).asMap().keySet().stream().anyMatch(PASSWORD::equalsIgnoreCase);
        } catch (MalformedRequestException e) {
            return false;
        }
    }
}
