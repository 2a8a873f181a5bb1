package io.tokengate.server.request;

import java.util.Locale;

/**
 * Methods whose requests carry no body ({@code GET}, {@code HEAD}): the data plane refuses one
 * that has a body (400), since Jira ignores it and a server between the gateway and Jira that
 * ignores it as well would read it as the next request on the gateway's pooled connection (a
 * CL.0 desync, RFC 9110 9.3.1). Dry runs answer the same, so that {@code tokengate check} never
 * calls allowed what the gateway refuses.
 */
public final class BodilessMethods {
    private BodilessMethods() {}

    /** Whether a request with {@code method} (any case) may carry no body. */
    public static boolean takeNoBody(String method) {
        return method.equalsIgnoreCase("GET") || method.equalsIgnoreCase("HEAD");
    }

    /** What the client is told, {@code body} saying what it sent ("a body of 12 bytes"). */
    public static String why(String method, String body) {
        return "a " + method.toUpperCase(Locale.ROOT) + " request carries no body, and this one has " + body
                + ". Jira ignores it; send parameters in the query string, or use the method that takes a body"
                + " (POST /rest/api/2/search for a JQL search).";
    }
}
