package io.tokengate.server.gateway;

import io.tokengate.core.limits.Condition;
import io.tokengate.core.limits.QueryParamCondition;
import io.tokengate.core.limits.Rule;
import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import io.tokengate.core.request.Quote;
import io.tokengate.server.request.JsonBody;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpStatus;

/**
 * A body beside a rule that judges query parameters must hold, for each condition on a parameter,
 * a top-level JSON field of that name whose value meets the same condition; otherwise it is
 * refused (400), since Jira may read the parameter from the body instead of the query, and read
 * its absence there as no value. {@code POST /rest/api/2/search} reads {@code jql}, {@code
 * startAt}, {@code maxResults} and {@code fields} from its JSON body and never looks at the query:
 * a search rule with {@code [QueryParam::jql==project = AAA]} that names no method allowed {@code
 * POST ...search?jql=project%20%3D%20AAA} with the body {@code {"jql":"project = SECRET"}}, and,
 * with the body {@code {"maxResults":1000}}, Jira searched every issue. With the field in the body
 * too, whichever of the two Jira reads, the condition held for it.
 *
 * <p>The body is read as the limits' JSON conditions read it ({@link JsonBody}, a field's value
 * as {@link JsonLookup.Found} gives it); one that is not JSON is refused too, since the gateway
 * cannot tell what Jira would find in it. Form bodies under such a rule are refused before ({@link
 * FormParameters}).
 */
final class QueryFieldsInBody {
    private QueryFieldsInBody() {}

    /** The refusal of {@code body} beside {@code allowing}, a rule that judges query parameters. */
    static Optional<RequestScreen.Refusal> refusal(Rule allowing, byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        Map<String, JsonPath> fields = new LinkedHashMap<>();
        List<QueryParamCondition> conditions = new ArrayList<>();
        for (Condition part : allowing.parts()) {
            if (part instanceof QueryParamCondition query) {
                fields.putIfAbsent(query.name(), topLevel(query.name()));
                conditions.add(query);
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
        for (QueryParamCondition condition : conditions) {
            String name = Quote.shorten(condition.name());
            JsonLookup field = json.lookup(fields.get(condition.name()));
            if (!(field instanceof JsonLookup.Found found)) {
                return Optional.of(new RequestScreen.Refusal(
                        HttpStatus.BAD_REQUEST_400,
                        "The token's restrictions judge the query parameter " + name + ", and the body has no"
                                + " field " + name + ": Jira may read the parameter from the body instead, and its"
                                + " absence as no value (POST /rest/api/2/search then searches every issue). Send"
                                + " the request without a body, or give the body the field " + name
                                + " with a value the restrictions allow.",
                        "body beside the query parameters rule " + allowing.number() + " judges has no field " + name
                                + ": the upstream may read it there instead"));
            }
            if (!condition.regex().matchesFully(found.text())) {
                return Optional.of(new RequestScreen.Refusal(
                        HttpStatus.BAD_REQUEST_400,
                        "The token's restrictions judge the query parameter " + name + ", and the body has a"
                                + " field " + name + ", which Jira may read instead, with a value they do not"
                                + " allow: send it in the query string only, without a body, or with the same value"
                                + " in both.",
                        "body field " + name + " beside the query parameters rule " + allowing.number()
                                + " judges does not match '" + condition.regex() + "': the upstream may read it"
                                + " instead"));
            }
        }
        return Optional.empty();
    }

    /** The path of the top-level member {@code name}, whatever characters it has. */
    private static JsonPath topLevel(String name) {
        return JsonPath.parse("/" + name.replace("~", "~0").replace("/", "~1"));
    }
}
