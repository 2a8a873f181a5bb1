package io.tokengate.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creating filters (Jira) and listing a user's filters (Extender for Jira). */
final class FilterEndpoints {
    private final JiraData data;

    FilterEndpoints(JiraData data) {
        this.data = data;
    }

    /**
     * {@code POST /rest/api/2/filter} with {@code name}, optional {@code description}, {@code
     * jql}, {@code favourite} and {@code editable}: 200 and the filter, owned by the caller.
     */
    void create(Exchange exchange) {
        Optional<JsonNode> body = exchange.jsonObjectBody();
        if (body.isEmpty()) {
            exchange.fail(400, "The request body must be a JSON object with at least a \"name\".");
            return;
        }
        JsonNode request = body.get();
        JsonNode name = request.path("name");
        if (!name.isTextual() || name.asText().isBlank()) {
            fieldError(exchange, "filterName", "You must specify a name to save this filter as.");
            return;
        }
        for (String flag : List.of("favourite", "editable")) {
            if (request.has(flag) && !request.get(flag).isBoolean()) {
                fieldError(exchange, flag, "'" + flag + "' must be true or false.");
                return;
            }
        }
        Filter filter = data.addFilter(
                exchange.user(),
                name.asText(),
                request.path("description").asText(""),
                request.path("jql").asText(""),
                request.path("favourite").asBoolean(false),
                request.path("editable").asBoolean(false));
        exchange.respond(200, exchange.json().filter(filter, false));
    }

    private static void fieldError(Exchange exchange, String field, String message) {
        exchange.respond(400, JiraJson.error(List.of(), Map.of(field, message)));
    }

    /**
     * {@code GET /rest/extender/1.0/filter/user/{name}?permissions=true|false}: the filters that
     * user owns, with share and edit permissions only when {@code permissions=true}.
     */
    void ofUser(Exchange exchange) {
        boolean permissions = exchange.query("permissions").orElse("false").equalsIgnoreCase("true");
        ArrayNode filters = JiraJson.MAPPER.createArrayNode();
        data.filtersOf(exchange.segment(5))
                .forEach(f -> filters.add(exchange.json().filter(f, permissions)));
        exchange.respond(200, filters);
    }
}
