package io.tokengate.server.request;

import io.tokengate.core.request.CanonicalPath;
import io.tokengate.core.request.JsonLookup;
import io.tokengate.core.request.JsonPath;
import io.tokengate.core.request.QueryString;
import io.tokengate.core.request.RequestView;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A request as restrictions see it. The body is read only when a JSON condition asks for it, and
 * then at most once.
 */
public final class GatewayRequestView implements RequestView {
    private final String method;
    private final String url;
    private final CanonicalPath path;
    private final QueryString query;
    private Supplier<JsonBody> body;
    private JsonBody parsed;

    /**
     * @param publicUrl the gateway's configured external base URL, without a trailing slash
     * @param body reads the body when a JSON condition first needs it
     */
    public GatewayRequestView(
            String method, String publicUrl, CanonicalPath path, QueryString query, Supplier<JsonBody> body) {
        this.method = method.toUpperCase(Locale.ROOT);
        this.url = publicUrl + path.value();
        this.path = path;
        this.query = query;
        this.body = body;
    }

    public CanonicalPath path() {
        return path;
    }

    public QueryString query() {
        return query;
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
    public JsonLookup json(JsonPath jsonPath) {
        if (parsed == null) {
            parsed = body.get();
            body = null;
        }
        return parsed.lookup(jsonPath);
    }

    @Override
    public String toString() {
        return method + " " + url;
    }
}
