package io.tokengate.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /rest/extender/1.0/worklog/user/{name}?dateFrom=YYYY-MM-DD&dateTo=YYYY-MM-DD}: that
 * user's worklogs started on a day in the range, both ends included; a missing end is open.
 */
final class WorklogEndpoint implements Endpoint {
    private final JiraData data;

    WorklogEndpoint(JiraData data) {
        this.data = data;
    }

    @Override
    public void handle(Exchange exchange) {
        LocalDate from;
        LocalDate to;
        try {
            from = exchange.query("dateFrom").map(LocalDate::parse).orElse(LocalDate.MIN);
            to = exchange.query("dateTo").map(LocalDate::parse).orElse(LocalDate.MAX);
        } catch (DateTimeParseException e) {
            exchange.fail(
                    400, "dateFrom and dateTo must be dates like 2018-12-01: '" + e.getParsedString() + "' is not");
            return;
        }
        ArrayNode worklogs = JiraJson.MAPPER.createArrayNode();
        data.worklogsOf(exchange.segment(5), from, to)
                .forEach(w -> worklogs.add(exchange.json().worklog(w)));
        exchange.respond(200, worklogs);
    }
}
