package io.tokengate.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Renders the demo's data in the shapes Jira's REST API v2 uses. {@code base} is the demo's base
 * URL, which every {@code self} link starts with, whatever Host the request named.
 */
final class JiraJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final DateTimeFormatter JIRA_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private final String base;
    private final Directory directory;

    JiraJson(String base, Directory directory) {
        this.base = base;
        this.directory = directory;
    }

    /** Jira's error body: {@code {"errorMessages":[...],"errors":{field: message}}}. */
    static ObjectNode error(List<String> messages, Map<String, String> fieldErrors) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode array = node.putArray("errorMessages");
        messages.forEach(array::add);
        ObjectNode errors = node.putObject("errors");
        fieldErrors.forEach(errors::put);
        return node;
    }

    static ObjectNode error(String message) {
        return error(List.of(message), Map.of());
    }

    static String time(Instant instant) {
        return JIRA_TIME.format(instant);
    }

    ObjectNode user(String nameOrEmail) {
        Person person = directory.person(nameOrEmail);
        ObjectNode node = MAPPER.createObjectNode();
        node.put("self", base + "/rest/api/2/user?username=" + person.name());
        node.put("name", person.name());
        node.put("key", person.name());
        node.put("emailAddress", person.email());
        node.put("displayName", person.displayName());
        node.put("active", !directory.deactivated(person.name()));
        node.put("timeZone", "UTC");
        return node;
    }

    /** {@link #user} with the user's groups, as {@code expand=groups} adds them. */
    ObjectNode userWithGroups(String nameOrEmail) {
        ObjectNode node = user(nameOrEmail);
        List<String> groups = directory.person(nameOrEmail).groups();
        ObjectNode expanded = node.putObject("groups");
        expanded.put("size", groups.size());
        ArrayNode items = expanded.putArray("items");
        for (String group : groups) {
            items.addObject().put("name", group).put("self", base + "/rest/api/2/group?groupname=" + group);
        }
        return node;
    }

    ObjectNode issue(Issue issue, List<Comment> comments) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("expand", "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations");
        node.put("id", issue.id());
        node.put("self", base + "/rest/api/2/issue/" + issue.id());
        node.put("key", issue.key());
        ObjectNode fields = node.putObject("fields");
        fields.put("summary", issue.summary());
        fields.put("description", issue.description());
        fields.putObject("status").put("name", issue.status());
        fields.set("issuetype", issueType(issue.type()));
        ObjectNode project = fields.putObject("project");
        project.put("self", base + "/rest/api/2/project/" + issue.project().id());
        project.put("id", issue.project().id());
        project.put("key", issue.project().key());
        project.put("name", issue.project().name());
        fields.set("reporter", user(issue.reporter()));
        if (issue.assignee() == null) {
            fields.putNull("assignee");
        } else {
            fields.set("assignee", user(issue.assignee()));
        }
        fields.put("created", time(issue.created()));
        ObjectNode comment = fields.putObject("comment");
        ArrayNode array = comment.putArray("comments");
        comments.forEach(c -> array.add(comment(c)));
        comment.put("maxResults", comments.size());
        comment.put("total", comments.size());
        comment.put("startAt", 0);
        return node;
    }

    ObjectNode comment(Comment comment) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("self", base + "/rest/api/2/issue/" + comment.issueKey() + "/comment/" + comment.id());
        node.put("id", comment.id());
        node.set("author", user(comment.author()));
        node.put("body", comment.body());
        node.set("updateAuthor", user(comment.author()));
        node.put("created", time(comment.created()));
        node.put("updated", time(comment.created()));
        return node;
    }

    ObjectNode issueType(IssueType type) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("self", base + "/rest/api/2/issuetype/" + type.id());
        node.put("id", type.id());
        node.put("description", type.description());
        node.put("name", type.name());
        node.put("subtask", type.subtask());
        return node;
    }

    /** A filter; with {@code permissions}, also who it is shared with and who may edit it. */
    ObjectNode filter(Filter filter, boolean permissions) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("self", base + "/rest/api/2/filter/" + filter.id());
        node.put("id", filter.id());
        node.put("name", filter.name());
        node.put("description", filter.description());
        node.set("owner", user(filter.owner()));
        node.put("jql", filter.jql());
        node.put("viewUrl", base + "/issues/?filter=" + filter.id());
        node.put("favourite", filter.favourite());
        node.put("editable", filter.editable());
        if (permissions) {
            node.putArray("sharePermissions").addObject().put("type", "loggedin");
            node.putArray("editPermissions");
        }
        return node;
    }

    ObjectNode worklog(Worklog worklog) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("self", base + "/rest/api/2/issue/" + worklog.issueKey() + "/worklog/" + worklog.id());
        node.put("id", worklog.id());
        node.put("issueKey", worklog.issueKey());
        node.set("author", user(worklog.author()));
        node.put("comment", worklog.comment());
        node.put("started", time(worklog.started()));
        node.put("timeSpentSeconds", worklog.timeSpentSeconds());
        return node;
    }
}
