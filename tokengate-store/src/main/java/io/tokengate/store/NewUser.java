package io.tokengate.store;

import java.util.Objects;

/**
 * A user to add; see {@link JdbcUserStore#add(NewUser)}.
 *
 * @param name log-in name (1 to 255 characters, no ':' or control characters)
 * @param email e-mail address; null if none
 * @param displayName name to show; null if none
 * @param role admin or user
 * @param passwordHash the password's KDF hash; null for none
 */
public record NewUser(String name, String email, String displayName, UserRole role, String passwordHash) {
    public NewUser {
        Objects.requireNonNull(role, "role");
        if (name == null
                || name.isBlank()
                || name.length() > 255
                || name.indexOf(':') >= 0
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(
                    "user name must be 1 to 255 characters without ':' or control characters");
        }
        name = name.strip();
        if (email != null && (email.length() > 320 || email.indexOf('@') < 1)) {
            throw new IllegalArgumentException("'" + email + "' is not an e-mail address");
        }
    }

    @Override
    public String toString() {
        return "NewUser[name=" + name + ", email=" + email + ", displayName=" + displayName + ", role=" + role
                + ", password=" + (passwordHash == null ? "none" : "set") + "]";
    }
}
