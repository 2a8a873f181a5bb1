package io.tokengate.demo;

import java.time.Instant;
import java.util.List;

/**
 * What a fresh demo Jira holds: the issues, filters and worklogs that the seed page's examples
 * name (AAA-1, ISSUE-1, KANBAN-100, the JRA project, worklogs in 2018), and a few more around
 * them so that restrictions have something to deny.
 */
final class SeedData {
    private static final List<IssueType> ISSUE_TYPES = List.of(
            new IssueType("1", "Bug", "A problem which impairs or prevents the functions of the product.", false),
            new IssueType("2", "New Feature", "A new feature of the product, which has yet to be developed.", false),
            new IssueType("3", "Task", "A task that needs to be done.", false),
            new IssueType("4", "Improvement", "An improvement or enhancement to an existing feature or task.", false),
            new IssueType("5", "Sub-task", "The sub-task of the issue", true),
            new IssueType("10000", "Epic", "Created by Jira Software - do not edit or delete.", false),
            new IssueType("10001", "Story", "Created by Jira Software - do not edit or delete.", false));

    private static final Project AAA = new Project("10000", "AAA", "Alpha Apps");
    private static final Project ISSUE = new Project("10001", "ISSUE", "Issue Tracker");
    private static final Project KANBAN = new Project("10002", "KANBAN", "Kanban Board");
    private static final Project JRA = new Project("10003", "JRA", "Jira Demo");
    private static final Project ABC = new Project("10004", "ABC", "ABC Project");

    private SeedData() {}

    static JiraData create() {
        JiraData data = new JiraData(ISSUE_TYPES);
        issue(data, "10100", "AAA-1", AAA, "Bug", "Open", "Login page rejects valid passwords", "admin", "alice");
        issue(data, "10101", "AAA-2", AAA, "Task", "Done", "Rotate the build server's keys", "alice", "admin");
        issue(data, "10102", "ISSUE-1", ISSUE, "Task", "Open", "Write the release notes", "alice", "bob");
        issue(data, "10103", "KANBAN-100", KANBAN, "Story", "In Progress", "Move cards with the keyboard", "bob", null);
        issue(data, "10104", "KANBAN-101", KANBAN, "Bug", "Open", "Swimlanes collapse on reload", "bob", "alice");
        issue(data, "10105", "JRA-1", JRA, "Bug", "Open", "NullPointerException on empty summary", "admin", "bob");
        issue(data, "10106", "JRA-2", JRA, "Improvement", "In Progress", "Faster issue search", "alice", "alice");
        issue(data, "10107", "JRA-10", JRA, "New Feature", "Open", "Export issues as CSV", "ansible", null);
        issue(data, "10108", "ABC-1", ABC, "Epic", "Open", "Customer onboarding", "admin", "admin");

        data.addComment(data.issue("JRA-1").orElseThrow(), "bob", "Reproduced on 8.20.", at("2018-02-01T10:15:00Z"));
        data.addFilter("admin", "My open issues", "Everything assigned to me", "assignee = currentUser()", true, true);
        data.addFilter("alice", "JRA bugs", "Open bugs in JRA", "project = JRA AND type = Bug", false, false);

        worklog(data, "30000", "JRA-1", "alice", "2017-12-20T09:00:00Z", 3600, "Triage");
        worklog(data, "30001", "JRA-1", "alice", "2018-01-01T09:00:00Z", 7200, "Investigation");
        worklog(data, "30002", "JRA-2", "alice", "2018-06-15T13:30:00Z", 5400, "Index tuning");
        worklog(data, "30003", "JRA-2", "alice", "2018-12-01T08:00:00Z", 1800, "Review");
        worklog(data, "30004", "JRA-10", "alice", "2018-12-02T08:00:00Z", 1800, "Spike");
        worklog(data, "30005", "AAA-1", "bob", "2018-03-10T10:00:00Z", 14400, "Fix");
        worklog(data, "30006", "ISSUE-1", "bob", "2019-01-05T10:00:00Z", 3600, "Draft");
        worklog(data, "30007", "KANBAN-100", "ansible", "2018-09-09T21:00:00Z", 600, "Automated deployment");
        return data;
    }

    private static void issue(
            JiraData data,
            String id,
            String key,
            Project project,
            String type,
            String status,
            String summary,
            String reporter,
            String assignee) {
        IssueType issueType = data.issueType(type).orElseThrow();
        String description = "Seeded demo issue " + key + ": " + summary.toLowerCase(java.util.Locale.ROOT) + ".";
        data.add(new Issue(
                id,
                key,
                project,
                issueType,
                status,
                summary,
                description,
                reporter,
                assignee,
                at("2018-01-01T12:00:00Z")));
    }

    private static void worklog(
            JiraData data, String id, String issueKey, String author, String started, long seconds, String comment) {
        data.add(new Worklog(id, issueKey, author, at(started), seconds, comment));
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
