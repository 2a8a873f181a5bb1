package io.tokengate.server.request;

import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.util.URIUtil;

/**
 * Methods the data plane answers 405 to before it looks at anything else, whatever a token's
 * limits say: every method but the seven Jira's REST API is called with. Among them {@code
 * CONNECT}, {@code TRACE} and {@code TRACK} (a tunnel, or an echo of the request that would show
 * the client the upstream credential the gateway adds), WebDAV's and any other: no Jira REST
 * resource takes them, and a server between the gateway and Jira might act on one that limits
 * naming no method let through unjudged. Dry runs answer the same, so that {@code tokengate
 * check} never calls allowed what the gateway refuses.
 */
public final class RefusedMethods {
    /** What the gateway forwards, for the {@code Allow} header and messages. */
    public static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    private static final Set<String> FORWARDED = Set.of(ALLOW.split(", "));

    private RefusedMethods() {}

    /** Whether the gateway refuses {@code method} (any case, as it decides in upper case). */
    public static boolean refuses(String method) {
        return !FORWARDED.contains(method.toUpperCase(Locale.ROOT));
    }

    /**
     * Whether Jetty's parser answers 400 to a request with {@code rawPath} before the gateway sees
     * its method: a NUL ({@code %00}), an invalid percent-escape ({@code %zz}) or dot segments that
     * climb above the root. Dry runs answer 400 for those, as for any malformed path, whatever the
     * method.
     */
    public static boolean unparsable(String rawPath) {
        if (rawPath.toLowerCase(Locale.ROOT).contains("%00")) {
            return true;
        }
        try {
            return URIUtil.canonicalPath(rawPath) == null;
        } catch (IllegalArgumentException e) { // Jetty's "!hex": not a percent-escape
            return true;
        }
    }

    /** Why, in the words of a dry run's rejection. */
    public static String why(String method) {
        return "method " + method.toUpperCase(Locale.ROOT) + " is never forwarded (only " + ALLOW + ")";
    }
}
