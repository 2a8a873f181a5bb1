package io.tokengate.demo;

import java.util.List;
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
 * @param groups the groups the user is in, as {@code /rest/api/2/myself?expand=groups} lists them
 */
public record DemoUser(
        String name, String password, String email, String displayName, boolean admin, List<String> groups) {
    /** Every user's group; admins are also in {@value #ADMINISTRATORS}. */
    public static final String USERS = "jira-users";

    public static final String ADMINISTRATORS = "jira-administrators";

    public DemoUser {
        groups = List.copyOf(groups);
        requireText(name, "name");
        requireText(password, "password");
        requireText(email, "email");
        requireText(displayName, "displayName");
        if (name.contains(":")) {
            throw new IllegalArgumentException(
                    "user name '" + name + "' contains ':', which Basic authentication cannot carry");
        }
    }

    /** A user in Jira's default groups: {@value #USERS}, and {@value #ADMINISTRATORS} for an admin. */
    public DemoUser(String name, String password, String email, String displayName, boolean admin) {
        this(name, password, email, displayName, admin, admin ? List.of(ADMINISTRATORS, USERS) : List.of(USERS));
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
                + ", groups=" + groups + ", password=redacted]";
    }
}
