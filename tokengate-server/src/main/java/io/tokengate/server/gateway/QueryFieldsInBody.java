package io.tokengate.server.gateway;

import io.tokengate.core.limits.Condition;
import io.tokengate.core.limits.QueryParamCondition;
import io.tokengate.core.limits.Rule;
import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import io.tokengate.core.request.Quote;
import io.tokengate.server.request.JsonBody;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpStatus;

/**
 * A body beside a rule that judges query parameters, with a top-level JSON field named as one of
 * them: refused (400), since Jira may take the parameter from the body instead of the query. {@code
 * POST /rest/api/2/search} reads {@code jql}, {@code startAt}, {@code maxResults} and {@code
 * fields} from its JSON body: a search rule with {@code [QueryParam::jql==project = AAA]} that
 * names no method allowed {@code POST ...search?jql=project%20%3D%20AAA} with the body {@code
 * {"jql":"project = SECRET"}}, and Jira ran the body's query.
 *
 * <p>The body is read as the limits' JSON conditions read it ({@link JsonBody}); one that is not
 * JSON is refused too, since the gateway cannot tell what Jira would find in it. Form bodies under
 * such a rule are refused before ({@link FormParameters}).
 */
final class QueryFieldsInBody {
    private QueryFieldsInBody() {}

    /** The refusal of {@code body} beside {@code allowing}, a rule that judges query parameters. */
    static Optional<RequestScreen.Refusal> refusal(Rule allowing, byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        Map<String, JsonPath> fields = new LinkedHashMap<>();
        for (Condition part : allowing.parts()) {
            if (part instanceof QueryParamCondition query) {
                fields.putIfAbsent(query.name(), topLevel(query.name()));
            }
        }
        JsonBody json = JsonBody.parse(body, fields.values());
        if (!json.isJson()) {
            return Optional.of(new RequestScreen.Refusal(
                    HttpStatus.BAD_REQUEST_400,
                    "The token's restrictions judge query parameters, and the request body is not JSON the"
                            + " gateway can read to see that it does not carry them: send them in the query string"
                            + " only, without a body.",
                    "body beside the query parameters rule " + allowing.number() + " judges is not JSON"));
        }
        for (Map.Entry<String, JsonPath> field : fields.entrySet()) {
            if (json.lookup(field.getValue()) instanceof JsonLookup.Found) {
                String name = Quote.shorten(field.getKey());
                return Optional.of(new RequestScreen.Refusal(
                        HttpStatus.BAD_REQUEST_400,
                        "The token's restrictions judge the query parameter " + name + ", and the body has a"
                                + " field " + name + ", which Jira may read instead: send it in the query string"
                                + " only.",
                        "body field " + name + " beside the query parameters rule " + allowing.number()
                                + " judges: the upstream may read it instead"));
            }
        }
        return Optional.empty();
    }

    /** The path of the top-level member {@code name}, whatever characters it has. */
    private static JsonPath topLevel(String name) {
        return JsonPath.parse("/" + name.replace("~", "~0").replace("/", "~1"));
    }
}
