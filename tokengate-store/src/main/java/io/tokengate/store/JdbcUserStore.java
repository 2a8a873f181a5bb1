package io.tokengate.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Local users in the {@code users} table, and their groups in {@code user_groups}: plain storage
 * for the user service of the admin plane, which owns password hashing, credential encryption and
 * what a group name may be. Look-ups by name or e-mail ignore case.
 */
public final class JdbcUserStore {
    private final Database db;
    private final Clock clock;

    JdbcUserStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Adds a user.
     *
     * @throws StoreConflictException when the name or e-mail is taken (in any case)
     */
    public User add(NewUser user) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try {
            long id = db.transaction("adding user '" + user.name() + "'", c -> {
                UserInvariants.refuseCrossedNameAndEmail(c, user);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO users (name, name_key, email, email_key, display_name, role, password_hash,"
                                + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setString(1, user.name());
                    ps.setString(2, UserRows.nameKey(user.name()));
                    ps.setString(3, user.email());
                    ps.setString(4, UserRows.emailKey(user.email()));
                    ps.setString(5, user.displayName());
                    ps.setString(6, user.role().name());
                    ps.setString(7, user.passwordHash());
                    Jdbc.setInstant(ps, 8, now);
                    Jdbc.setInstant(ps, 9, now);
                    ps.executeUpdate();
                    long added;
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        added = keys.getLong(1);
                    }
                    UserRows.insertGroups(c, added, user.groups());
                    return added;
                }
            });
            return new User(
                    id,
                    user.name(),
                    user.email(),
                    user.displayName(),
                    user.role(),
                    user.groups(),
                    user.passwordHash(),
                    null,
                    now,
                    now);
        } catch (StoreConflictException e) {
            throw new StoreConflictException(
                    "a user named '" + user.name() + "'"
                            + (user.email() == null ? "" : " or with e-mail " + user.email())
                            + " already exists (names and e-mail addresses ignore case, and share one space:"
                            + " a name cannot be another user's e-mail)",
                    e);
        }
    }

    /** The user named {@code name}, ignoring case; not a user who has it as their e-mail. */
    public Optional<User> findNamed(String name) {
        return find(name).filter(user -> UserRows.nameKey(user.name()).equals(UserRows.nameKey(name)));
    }

    /** The user whose name or e-mail is {@code nameOrEmail}, ignoring case; names win over e-mails. */
    public Optional<User> find(String nameOrEmail) {
        String nameKey = UserRows.nameKey(nameOrEmail);
        String emailKey = UserRows.emailKey(nameOrEmail);
        return db.readOnRequestPath("reading user '" + nameOrEmail + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(UserRows.SELECT
                    + " WHERE name_key = ? OR email_key = ? ORDER BY CASE WHEN name_key = ? THEN 0 ELSE 1 END")) {
                ps.setString(1, nameKey);
                ps.setString(2, emailKey);
                ps.setString(3, nameKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long id = rs.getLong("id");
                    return Optional.of(
                            UserRows.user(rs, UserRows.groupsOf(c, id).getOrDefault(id, List.of())));
                }
            }
        });
    }

    /** Every user, by name. */
    public List<User> list() {
        return db.read("listing users", c -> {
            Map<Long, List<String>> groups = UserRows.groupsOf(c, null);
            List<User> users = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(UserRows.SELECT + " ORDER BY name_key");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(UserRows.user(rs, groups.getOrDefault(rs.getLong("id"), List.of())));
                }
            }
            return users;
        });
    }

    /**
     * Sets the password hash of the user named {@code name}, and nothing else: a hash takes a
     * while to make, and whatever else changed about the user meanwhile stays as it is now.
     *
     * @return false when there is no such user
     */
    public boolean setPasswordHash(String name, String passwordHash) {
        return db.transaction("setting the password of user '" + name + "'", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE users SET password_hash = ?, updated_at = ? WHERE name_key = ?")) {
                ps.setString(1, passwordHash);
                Jdbc.setInstant(ps, 2, clock.instant().truncatedTo(ChronoUnit.MICROS));
                ps.setString(3, UserRows.nameKey(name));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Stores the user's encrypted upstream credential (null removes it).
     *
     * @return false when there is no such user
     */
    public boolean setUpstreamCredential(String name, byte[] encrypted) {
        return db.transaction("storing the upstream credential of user '" + name + "'", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE users SET upstream_credential = ?, updated_at = ? WHERE name_key = ?")) {
                ps.setBytes(1, encrypted);
                Jdbc.setInstant(ps, 2, clock.instant().truncatedTo(ChronoUnit.MICROS));
                ps.setString(3, UserRows.nameKey(name));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Changes the role, or replaces the groups (as {@link User#groups()} keeps them), or both, of
     * the user named {@code name}, in one transaction: all of it or nothing.
     *
     * @return false when there is no such user
     * @throws StoreConflictException when the user is the last admin and would stop being one
     */
    public boolean edit(String name, Optional<UserRole> role, Optional<List<String>> groups) {
        Optional<List<String>> kept = groups.map(User::groups);
        return db.transaction("editing user '" + name + "'", c -> {
            if (role.isPresent() && role.get() != UserRole.ADMIN) {
                UserInvariants.keepAnAdmin(c, name, "make them a user");
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE name_key = ? FOR UPDATE")) {
                ps.setString(1, UserRows.nameKey(name));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    id = rs.getLong(1);
                }
            }
            if (kept.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM user_groups WHERE user_id = ?")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                UserRows.insertGroups(c, id, kept.get());
            }
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE users SET role = COALESCE(?, role), updated_at = ? WHERE id = ?")) {
                ps.setString(1, role.map(UserRole::name).orElse(null));
                Jdbc.setInstant(ps, 2, clock.instant().truncatedTo(ChronoUnit.MICROS));
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /**
     * Removes a user; their groups go with them.
     *
     * @return false when there is no such user
     * @throws StoreConflictException when the user is the last admin
     */
    public boolean remove(String name) {
        return db.transaction("removing user '" + name + "'", c -> {
            UserInvariants.keepAnAdmin(c, name, "remove them");
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE name_key = ?")) {
                ps.setString(1, UserRows.nameKey(name));
                return ps.executeUpdate() == 1;
            }
        });
    }
}
