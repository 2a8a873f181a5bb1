package io.tokengate.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds the endpoint for a method and decoded path. Patterns are {@code /}-separated segments
 * where {@code *} matches one segment and a final {@code **} any number of them; method {@code *}
 * matches any method. A path that matches only under other methods is 405, no match is 404.
 */
final class Router {
    private record Route(String method, List<String> pattern, Endpoint endpoint) {
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
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String pattern, Endpoint endpoint) {
        routes.add(new Route(method, List.of(pattern.split("/")), endpoint));
        return this;
    }

    void dispatch(Exchange exchange) throws Exception {
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            if (route.matches(exchange.path())) {
                if (route.method().equals("*") || route.method().equals(exchange.method())) {
                    route.endpoint().handle(exchange);
                    return;
                }
                allowed.add(route.method());
            }
        }
        if (allowed.isEmpty()) {
            exchange.fail(404, "No resource at " + exchange.received().rawPath());
        } else {
            exchange.response().getHeaders().put("Allow", String.join(", ", allowed));
            exchange.fail(405, "Method " + exchange.method() + " is not allowed here; allowed: " + allowed);
        }
    }
}
