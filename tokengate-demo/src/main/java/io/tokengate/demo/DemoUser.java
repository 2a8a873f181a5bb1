package io.tokengate.demo;

import java.util.Objects;

/**
 * A user of the demo's own directory: who may sign in with {@code Authorization: Basic
 * name:password}, and the profile that {@code /rest/api/2/myself} and comment authors show.
 *
 * @param name the user name, also the Jira user key
 * @param password the password for Basic authentication; never printed by {@link #toString()}
 * @param email the e-mail address
 * @param displayName the full name
 * @param admin whether the user holds the {@code ADMINISTER} global permission
 */
public record DemoUser(String name, String password, String email, String displayName, boolean admin) {

    public DemoUser {
        requireText(name, "name");
        requireText(password, "password");
        requireText(email, "email");
        requireText(displayName, "displayName");
        if (name.contains(":")) {
            throw new IllegalArgumentException(
                    "user name '" + name + "' contains ':', which Basic authentication cannot carry");
        }
    }

    private static void requireText(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException("a demo user needs a non-blank " + field);
        }
    }

    @Override
    public String toString() {
        return "DemoUser[name=" + name + ", email=" + email + ", displayName=" + displayName + ", admin=" + admin
                + ", password=redacted]";
    }
}
