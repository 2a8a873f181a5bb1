package io.tokengate.server.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.util.URIUtil;

/**
 * Maps method and path of an admin API request to its endpoint, with {@code {name}} path
 * parameters (Jetty's {@link UriTemplatePathSpec}: a parameter is one whole path segment).
 */
final class Router {
    @FunctionalInterface
    interface Endpoint {
        void handle(ApiExchange exchange) throws Exception;
    }

    /** @param signIn whether the route needs a signed-in user */
    record Route(String method, UriTemplatePathSpec path, boolean signIn, Endpoint endpoint) {}

    /** A matched route and its path parameters. */
    record Match(Route route, Map<String, String> params) {}

    private final List<Route> routes = new ArrayList<>();

    /** A route for signed-in users. */
    Router add(String method, String template, Endpoint endpoint) {
        routes.add(new Route(method, new UriTemplatePathSpec(template), true, endpoint));
        return this;
    }

    /** A route anyone may call (sign-in, the OpenAPI document). */
    Router addPublic(String method, String template, Endpoint endpoint) {
        routes.add(new Route(method, new UriTemplatePathSpec(template), false, endpoint));
        return this;
    }

    /**
     * @throws ApiError 404 when no route has the path, 405 (with {@code Allow}) when none has the
     *     method
     */
    Match match(String method, String path, org.eclipse.jetty.server.Response response) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            if (!route.path().matches(path)) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match(route, decoded(route.path().getPathParams(path)));
            }
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) {
            throw ApiError.notFound("No such API resource: " + path + " (see /api/v1/openapi.yaml).");
        }
        response.getHeaders().put("Allow", String.join(", ", allowed));
        throw new ApiError(
                405,
                "Method " + method + " is not allowed on " + path + " (allowed: " + String.join(", ", allowed) + ").",
                null,
                null);
    }

    /**
     * The parameters as their segments name them: Jetty's path in context is still percent-encoded
     * ({@code ci%20deploy}). Jetty has already refused a path whose encoding is ambiguous ({@code
     * %2F}, {@code %25}, {@code %5C}), so no decoded parameter holds a separator.
     */
    private static Map<String, String> decoded(Map<String, String> params) {
        Map<String, String> decoded = new LinkedHashMap<>();
        params.forEach((name, value) -> decoded.put(name, URIUtil.decodePath(value)));
        return decoded;
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }
}
