package io.tokengate.demo;

/** A Jira project. */
record Project(String id, String key, String name) {}
