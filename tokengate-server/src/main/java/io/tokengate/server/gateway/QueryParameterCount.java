package io.tokengate.server.gateway;

import io.tokengate.core.limits.Rule;
import java.util.Optional;
import org.eclipse.jetty.http.HttpStatus;

/**
 * A query of more parameters than Jira's servlet container reads, in a request allowed by a rule
 * that judges query parameters: refused (400). The dry runs make the same refusal ({@link
 * #refusal(Decision, String)}).
 *
 * <p>Tomcat stops reading parameters at its connector's {@code maxParameterCount} (1000 by
 * default in current releases) and drops the rest without failing the request: with a thousand
 * parameters before it, the {@code permissions=true} a rule required is not among the parameters
 * Jira reads through the servlet API, which then acts on its default instead. Every segment
 * between {@code &} counts here, empty ones too, so that no way Tomcat counts can find more.
 */
final class QueryParameterCount {
    /** Tomcat's default {@code maxParameterCount} (Tomcat 11.0.27; 10000 in early 9.0.x). */
    static final int TOMCAT_MAX = 1000;

    /** What the client is told, by the gateway (400) and by the dry runs. */
    static final String MESSAGE = "The token's restrictions judge query parameters, and the query has more than "
            + TOMCAT_MAX + " of them: Jira's servlet container reads no further, so it would not see them all.";

    private QueryParameterCount() {}

    /** The refusal when {@code rawQuery} (null: none) has too many; {@code allowing} judges query parameters. */
    static Optional<RequestScreen.Refusal> refusal(Rule allowing, String rawQuery) {
        if (!tooMany(rawQuery)) {
            return Optional.empty();
        }
        return Optional.of(new RequestScreen.Refusal(
                HttpStatus.BAD_REQUEST_400,
                MESSAGE,
                "more than " + TOMCAT_MAX + " query parameters beside the query parameters rule " + allowing.number()
                        + " judges: the upstream drops those past its limit"));
    }

    private static boolean tooMany(String rawQuery) {
        if (rawQuery == null) {
            return false;
        }
        int segments = 1;
        for (int i = rawQuery.indexOf('&'); i >= 0 && segments <= TOMCAT_MAX; i = rawQuery.indexOf('&', i + 1)) {
            segments++;
        }
        return segments > TOMCAT_MAX;
    }
}
