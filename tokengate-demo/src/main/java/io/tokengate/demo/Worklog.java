package io.tokengate.demo;

import java.time.Instant;

/** Time logged by {@code author} (a user name) on an issue. */
record Worklog(String id, String issueKey, String author, Instant started, long timeSpentSeconds, String comment) {}
