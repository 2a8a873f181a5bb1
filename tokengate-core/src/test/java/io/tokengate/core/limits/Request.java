package io.tokengate.core.limits;

import io.tokengate.core.request.CanonicalPath;
import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import io.tokengate.core.request.QueryString;
import io.tokengate.core.request.RequestView;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A request as the restriction language sees it, built from a method and a full URL through the
 * real canonicalizer and query parser. JSON answers are given per path, since the core does not
 * parse JSON (the server's Jackson view is tested in the server module).
 */
final class Request implements RequestView {
    static final String PUBLIC_URL = "https://jira.example.com";

    private final String method;
    private final String url;
    private final QueryString query;
    private final Function<JsonPath, JsonLookup> json;

    private Request(String method, String url, QueryString query, Function<JsonPath, JsonLookup> json) {
        this.method = method;
        this.url = url;
        this.query = query;
        this.json = json;
    }

    /** {@code pathAndQuery} like {@code /rest/api/2/issue/JRA-1?expand=names}. */
    static Request of(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        return new Request(
                method,
                PUBLIC_URL + CanonicalPath.parse(path).value(),
                QueryString.parse(query),
                p -> JsonLookup.unusable("no body"));
    }

    static Request get(String pathAndQuery) {
        return of("GET", pathAndQuery);
    }

    static Request post(String pathAndQuery) {
        return of("POST", pathAndQuery);
    }

    /** This request with a JSON body whose nodes are {@code values} (path source → text). */
    Request withJson(Map<String, String> values) {
        return new Request(
                method,
                url,
                query,
                p -> values.containsKey(p.toString())
                        ? JsonLookup.found(values.get(p.toString()))
                        : JsonLookup.missing());
    }

    Request withJson(Function<JsonPath, JsonLookup> answers) {
        return new Request(method, url, query, answers);
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public List<String> queryValues(String name) {
        return query.values(name);
    }

    @Override
    public JsonLookup json(JsonPath path) {
        return json.apply(path);
    }
}
