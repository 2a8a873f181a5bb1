package io.tokengate.server.gateway;

import io.tokengate.core.limits.Rule;
import io.tokengate.core.request.Quote;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;

/**
 * A charset other than UTF-8 in the Content-Type of a request allowed by a rule that judges query
 * parameters: refused (400), since Jira's servlet container could decode the query in it.
 *
 * <p>Jira's Tomcat connector sets {@code useBodyEncodingForURI="true"}: the query is decoded in
 * the request's character encoding, which is the charset its Content-Type names (on any method,
 * with or without a body) until the application sets another. Jira's encoding filter sets UTF-8,
 * but only when it runs; whatever reads a parameter before it fixes Tomcat's reading for the rest
 * of the request. In UTF-16 the query name the gateway reads as {@code \0p\0e\0r...} is {@code
 * permissions}, and the values of the real one are no longer {@code true}. The gateway reads the
 * query as UTF-8 only, so only UTF-8 may be declared where a rule's decision rests on the query.
 */
final class QueryCharset {
    private QueryCharset() {}

    /** The refusal when the request declares another charset than UTF-8; {@code allowing} judges query parameters. */
    static Optional<RequestScreen.Refusal> refusal(Rule allowing, HttpFields headers) {
        for (String charset : BodyRules.declaredCharsets(headers)) {
            if (!BodyRules.isUtf8(charset)) {
                String quoted = Quote.shorten(charset); // the client's words: short, unprintables escaped
                return Optional.of(new RequestScreen.Refusal(
                        HttpStatus.BAD_REQUEST_400,
                        "The token's restrictions judge query parameters, read as UTF-8, and the request declares"
                                + " charset " + quoted + ", in which Jira may decode the query: declare UTF-8 or"
                                + " no charset.",
                        "charset " + quoted + " declared beside the query parameters rule " + allowing.number()
                                + " judges: the upstream may decode the query in it"));
            }
        }
        return Optional.empty();
    }
}
