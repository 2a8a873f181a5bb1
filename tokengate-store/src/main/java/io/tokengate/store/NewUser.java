package io.tokengate.store;

import java.util.List;
import java.util.Objects;

/**
 * A user to add; see {@link JdbcUserStore#add(NewUser)}.
 *
 * @param name log-in name (1 to 255 characters, no ':' or control characters)
 * @param email e-mail address; null if none
 * @param displayName name to show; null if none
 * @param role admin or user
 * @param passwordHash the password's KDF hash; null for none
 * @param groups the groups the user is in, as {@link User#groups()} keeps them
 */
public record NewUser(
        String name, String email, String displayName, UserRole role, String passwordHash, List<String> groups) {
    public NewUser {
        groups = User.groups(groups);
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

    /** A user in no group. */
    public NewUser(String name, String email, String displayName, UserRole role, String passwordHash) {
        this(name, email, displayName, role, passwordHash, List.of());
    }

    @Override
    public String toString() {
        return "NewUser[name=" + name + ", email=" + email + ", displayName=" + displayName + ", role=" + role
                + ", groups=" + groups + ", password=" + (passwordHash == null ? "none" : "set") + "]";
    }
}
