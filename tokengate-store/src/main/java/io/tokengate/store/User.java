package io.tokengate.store;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A local user. Names and e-mail addresses are unique without regard to case. The password hash
 * (from a slow KDF) and the encrypted upstream credential are opaque here and never printed.
 *
 * @param id row id
 * @param name log-in name
 * @param email e-mail address; null if none
 * @param displayName name to show; null if none
 * @param role admin or user
 * @param groups the groups the user is in ({@code runas.groups} names them), each once without
 *     regard to case, sorted
 * @param passwordHash the password's KDF hash; null when the user cannot log in with a password
 * @param upstreamCredential the user's upstream credential, encrypted; null if none
 * @param createdAt when the user was added
 * @param updatedAt when the user was last changed
 */
public record User(
        long id,
        String name,
        String email,
        String displayName,
        UserRole role,
        List<String> groups,
        String passwordHash,
        byte[] upstreamCredential,
        Instant createdAt,
        Instant updatedAt) {
    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        groups = groups(groups);
        upstreamCredential = upstreamCredential == null ? null : upstreamCredential.clone();
    }

    /**
     * {@code groups} as a user holds them: each once without regard to case (the first spelling
     * kept), sorted without regard to case; null is none.
     */
    static List<String> groups(List<String> groups) {
        if (groups == null || groups.isEmpty()) {
            return List.of();
        }
        TreeMap<String, String> byKey = new TreeMap<>();
        for (String group : groups) {
            byKey.putIfAbsent(Objects.requireNonNull(group, "group").toLowerCase(Locale.ROOT), group);
        }
        return List.copyOf(byKey.values());
    }

    @Override
    public byte[] upstreamCredential() {
        return upstreamCredential == null ? null : upstreamCredential.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof User that
                && id == that.id
                && name.equals(that.name)
                && Objects.equals(email, that.email)
                && Objects.equals(displayName, that.displayName)
                && role == that.role
                && groups.equals(that.groups)
                && Objects.equals(passwordHash, that.passwordHash)
                && java.util.Arrays.equals(upstreamCredential, that.upstreamCredential)
                && Objects.equals(createdAt, that.createdAt)
                && Objects.equals(updatedAt, that.updatedAt);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", name=" + name + ", email=" + email + ", displayName=" + displayName + ", role="
                + role + ", groups=" + groups + ", password=" + (passwordHash == null ? "none" : "set")
                + ", upstreamCredential="
                + (upstreamCredential == null ? "none" : "set") + "]";
    }
}
