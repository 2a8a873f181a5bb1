package io.tokengate.demo;

/** A saved search; {@code owner} is a user name. */
record Filter(
        String id, String owner, String name, String description, String jql, boolean favourite, boolean editable) {}
