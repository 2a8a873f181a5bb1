package io.tokengate.server.gateway;

import io.tokengate.core.limits.Rule;
import io.tokengate.core.request.Quote;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;

/**
 * A form body under a rule that judges query parameters: refused (400), since the gateway and
 * Jira would read the request's parameters differently.
 *
 * <p>Jira's servlet container, Tomcat, reads the parameters of an {@code
 * application/x-www-form-urlencoded} body (whatever the case of the media type, and those of a
 * {@code multipart/form-data} body where the servlet or context allows it) into the same
 * parameters as the query's: for {@code POST ...?permissions=true} with the body {@code
 * permissions=false}, {@code getParameterValues("permissions")} is {@code [true, false]}. A
 * {@code [QueryParam::...]} condition judges the query alone, so the body's values would reach
 * whatever in Jira reads parameters through the servlet API without anybody having checked them.
 * A rule without such a condition allows a request whatever its parameters, and a form body under
 * it is forwarded; so is one in a request refused for another reason first.
 */
final class FormParameters {
    private FormParameters() {}

    /**
     * The refusal when the request, with {@code headers} and a body or not, carries a form body;
     * {@code allowing} judges query parameters.
     */
    static Optional<RequestScreen.Refusal> refusal(Rule allowing, HttpFields headers, boolean hasBody) {
        if (!hasBody) {
            return Optional.empty();
        }
        String contentType = headers.get(HttpHeader.CONTENT_TYPE);
        if (contentType == null || !isForm(contentType)) {
            return Optional.empty();
        }
        String quoted = Quote.shorten(contentType.strip()); // the client's words: short, unprintables escaped
        return Optional.of(new RequestScreen.Refusal(
                HttpStatus.BAD_REQUEST_400,
                "The token's restrictions judge query parameters, and Jira reads the parameters of a form body"
                        + " (" + quoted + ") together with the query's: send them in the query"
                        + " string only.",
                "form body (" + quoted + ") beside the query parameters rule " + allowing.number()
                        + " judges: the upstream reads its parameters with the query's"));
    }

    /**
     * Media types whose bodies a servlet container reads as parameters, in any case and wherever
     * they stand in the value: a value that only a lenient reader splits (a list, stray
     * whitespace) is refused rather than guessed at.
     */
    private static boolean isForm(String contentType) {
        String lower = contentType.toLowerCase(Locale.ROOT);
        return lower.contains("x-www-form-urlencoded") || lower.contains("multipart/form-data");
    }
}
