package io.tokengate.demo;

/** A Jira issue type such as Bug or Task. */
record IssueType(String id, String name, String description, boolean subtask) {}
