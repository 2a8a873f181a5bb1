package io.tokengate.demo;

import java.time.Instant;

/** A comment on an issue; {@code author} is a user name. */
record Comment(String id, String issueKey, String author, String body, Instant created) {}
