package io.tokengate.server.users;

import io.tokengate.store.UserRole;
import java.util.Locale;
import java.util.Objects;

/**
 * Someone signed in to the admin plane.
 *
 * @param name the user name tokens are bound to and audit records name
 * @param role admin (everything) or user (own tokens, own audit records)
 * @param source the identity source that vouched for the user: {@code local} or {@code jira}
 */
public record Principal(String name, UserRole role, String source) {
    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(source, "source");
    }

    public boolean admin() {
        return role == UserRole.ADMIN;
    }

    /** Whether {@code user} names this principal (case-insensitive, as user names are everywhere). */
    public boolean is(String user) {
        return user != null && name.toLowerCase(Locale.ROOT).equals(user.strip().toLowerCase(Locale.ROOT));
    }
}
