package io.tokengate.demo;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The demo's in-memory Jira: issues with their comments, filters, worklogs and issue types. Every
 * method is safe to call from any thread; reads return snapshots.
 */
final class JiraData {
    private final Map<String, Issue> issues = new LinkedHashMap<>();
    private final Map<String, List<Comment>> comments = new LinkedHashMap<>();
    private final List<Filter> filters = new ArrayList<>();
    private final List<Worklog> worklogs = new ArrayList<>();
    private final List<IssueType> issueTypes;
    private long nextId = 20000;

    JiraData(List<IssueType> issueTypes) {
        this.issueTypes = List.copyOf(issueTypes);
    }

    synchronized void add(Issue issue) {
        issues.put(issue.key(), issue);
        comments.put(issue.key(), new ArrayList<>());
    }

    synchronized void add(Worklog worklog) {
        worklogs.add(worklog);
    }

    List<IssueType> issueTypes() {
        return issueTypes;
    }

    Optional<IssueType> issueType(String name) {
        return issueTypes.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The issue with {@code key}, compared case-insensitively as Jira does. */
    synchronized Optional<Issue> issue(String key) {
        return Optional.ofNullable(issues.get(key.toUpperCase(Locale.ROOT)));
    }

    /** All issues, by project key and then issue number. */
    synchronized List<Issue> issues() {
        return issues.values().stream()
                .sorted(Comparator.comparing((Issue i) -> i.project().key()).thenComparingLong(JiraData::number))
                .collect(Collectors.toUnmodifiableList());
    }

    private static long number(Issue issue) {
        return Long.parseLong(issue.key().substring(issue.key().indexOf('-') + 1));
    }

    synchronized List<Comment> comments(Issue issue) {
        return List.copyOf(comments.get(issue.key()));
    }

    synchronized Comment addComment(Issue issue, String author, String body, Instant now) {
        Comment comment = new Comment(newId(), issue.key(), author, body, now);
        comments.get(issue.key()).add(comment);
        return comment;
    }

    synchronized Filter addFilter(
            String owner, String name, String description, String jql, boolean favourite, boolean editable) {
        Filter filter = new Filter(newId(), owner, name, description, jql, favourite, editable);
        filters.add(filter);
        return filter;
    }

    /** The filters owned by {@code owner}, compared case-insensitively. */
    synchronized List<Filter> filtersOf(String owner) {
        return filters.stream().filter(f -> f.owner().equalsIgnoreCase(owner)).collect(Collectors.toUnmodifiableList());
    }

    /** The worklogs of {@code author} started on a UTC day from {@code from} to {@code to}, inclusive. */
    synchronized List<Worklog> worklogsOf(String author, LocalDate from, LocalDate to) {
        return worklogs.stream()
                .filter(w -> w.author().equalsIgnoreCase(author))
                .filter(w -> {
                    LocalDate day = LocalDate.ofInstant(w.started(), ZoneOffset.UTC);
                    return !day.isBefore(from) && !day.isAfter(to);
                })
                .sorted(Comparator.comparing(Worklog::started))
                .collect(Collectors.toUnmodifiableList());
    }

    private String newId() {
        return Long.toString(nextId++);
    }
}
