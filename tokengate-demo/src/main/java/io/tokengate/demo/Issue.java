package io.tokengate.demo;

import java.time.Instant;

/** An issue's fields; its comments live in {@link JiraData}. {@code assignee} may be null. */
record Issue(
        String id,
        String key,
        Project project,
        IssueType type,
        String status,
        String summary,
        String description,
        String reporter,
        String assignee,
        Instant created) {}
