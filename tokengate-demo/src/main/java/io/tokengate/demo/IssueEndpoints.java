package io.tokengate.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Issues, their comments, issue search and issue types. */
final class IssueEndpoints {
    static final String NO_ISSUE = "Issue does not exist or you do not have permission to see it.";

    /** The one JQL the demo understands; any other query matches every issue. */
    private static final Pattern PROJECT_JQL = Pattern.compile(
            "\\s*project\\s*=\\s*\"?([A-Za-z][A-Za-z0-9_]*)\"?\\s*(?:order\\s+by\\s+.*)?", Pattern.CASE_INSENSITIVE);

    private static final int MAX_RESULTS = 1000;

    private final JiraData data;
    private final Clock clock;

    IssueEndpoints(JiraData data, Clock clock) {
        this.data = data;
        this.clock = clock;
    }

    /** {@code GET /rest/api/2/issue/{key}}. */
    void get(Exchange exchange) {
        Optional<Issue> issue = data.issue(exchange.segment(4));
        if (issue.isEmpty()) {
            exchange.fail(404, NO_ISSUE);
            return;
        }
        exchange.respond(200, exchange.json().issue(issue.get(), data.comments(issue.get())));
    }

    /** {@code POST /rest/api/2/issue/{key}/comment} with {@code {"body":"..."}}: 201 and the comment. */
    void addComment(Exchange exchange) {
        Optional<Issue> issue = data.issue(exchange.segment(4));
        if (issue.isEmpty()) {
            exchange.fail(404, NO_ISSUE);
            return;
        }
        Optional<JsonNode> request = exchange.jsonObjectBody();
        if (request.isEmpty()) {
            exchange.fail(400, "The request body must be a JSON object such as {\"body\":\"Comment text\"}.");
            return;
        }
        JsonNode body = request.get().get("body");
        if (body == null || !body.isTextual() || body.asText().isBlank()) {
            exchange.respond(400, JiraJson.error(List.of(), Map.of("comment", "Comment body can not be empty!")));
            return;
        }
        Comment comment = data.addComment(issue.get(), exchange.user(), body.asText(), clock.instant());
        exchange.respond(201, exchange.json().comment(comment));
    }

    /** {@code GET /rest/api/2/search?jql=&startAt=&maxResults=}: only {@code project = X} filters. */
    void search(Exchange exchange) {
        String jql = exchange.query("jql").orElse("");
        int startAt;
        int maxResults;
        try {
            startAt = Math.max(0, Integer.parseInt(exchange.query("startAt").orElse("0")));
            maxResults = Math.min(
                    MAX_RESULTS,
                    Math.max(0, Integer.parseInt(exchange.query("maxResults").orElse("50"))));
        } catch (NumberFormatException e) {
            exchange.fail(400, "startAt and maxResults must be whole numbers: " + e.getMessage());
            return;
        }
        List<Issue> matches = matching(jql);
        ObjectNode result = JiraJson.MAPPER.createObjectNode();
        result.put("expand", "names,schema");
        result.put("startAt", startAt);
        result.put("maxResults", maxResults);
        result.put("total", matches.size());
        ArrayNode issues = result.putArray("issues");
        matches.stream()
                .skip(startAt)
                .limit(maxResults)
                .forEach(issue -> issues.add(exchange.json().issue(issue, data.comments(issue))));
        exchange.respond(200, result);
    }

    private List<Issue> matching(String jql) {
        Matcher project = PROJECT_JQL.matcher(jql);
        if (!project.matches()) {
            return data.issues();
        }
        String key = project.group(1).toUpperCase(Locale.ROOT);
        return data.issues().stream()
                .filter(issue -> issue.project().key().equals(key))
                .collect(Collectors.toUnmodifiableList());
    }

    /** {@code GET /rest/api/2/issuetype}. */
    void issueTypes(Exchange exchange) {
        ArrayNode types = JiraJson.MAPPER.createArrayNode();
        data.issueTypes().forEach(type -> types.add(exchange.json().issueType(type)));
        exchange.respond(200, types);
    }
}
