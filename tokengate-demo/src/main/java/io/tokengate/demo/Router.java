package io.tokengate.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Finds the endpoint for a method and decoded path. Patterns are {@code /}-separated segments
 * where {@code *} matches one segment and a final {@code **} any number of them; method {@code *}
 * matches any method. A path that matches only under other methods is 405, no match is 404.
 */
final class Router {
    record Route(String method, List<String> pattern, Endpoint endpoint) {
        boolean matches(List<String> path) {
            for (int i = 0; i < pattern.size(); i++) {
                String part = pattern.get(i);
                if (part.equals("**") && i == pattern.size() - 1) {
                    return true;
                }
                if (i >= path.size() || !(part.equals("*") || part.equals(path.get(i)))) {
                    return false;
                }
            }
            return path.size() == pattern.size();
        }

        boolean accepts(String requestMethod) {
            return method.equals("*") || method.equals(requestMethod);
        }
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String pattern, Endpoint endpoint) {
        routes.add(new Route(method, List.of(pattern.split("/")), endpoint));
        return this;
    }

    /** The first route for {@code method} and {@code path}. */
    Optional<Route> route(String method, List<String> path) {
        return routes.stream().filter(r -> r.matches(path) && r.accepts(method)).findFirst();
    }

    /** The methods some route accepts at {@code path}. */
    SortedSet<String> allowed(List<String> path) {
        TreeSet<String> methods = new TreeSet<>();
        routes.stream().filter(r -> r.matches(path)).forEach(r -> methods.add(r.method()));
        return methods;
    }

    void dispatch(Exchange exchange) throws Exception {
        Optional<Route> route = route(exchange.method(), exchange.path());
        if (route.isPresent()) {
            route.get().endpoint().handle(exchange);
            return;
        }
        SortedSet<String> allowed = allowed(exchange.path());
        if (allowed.isEmpty()) {
            exchange.fail(404, "No resource at " + exchange.received().rawPath());
        } else {
            exchange.response().getHeaders().put("Allow", String.join(", ", allowed));
            exchange.fail(405, "Method " + exchange.method() + " is not allowed here; allowed: " + allowed);
        }
    }
}
