package io.tokengate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Local users in the {@code users} table, and their groups in {@code user_groups}: plain storage
 * for the user service of the admin plane, which owns password hashing, credential encryption and
 * what a group name may be. Look-ups by name or e-mail ignore case.
 */
public final class JdbcUserStore {
    private static final String SELECT = "SELECT id, name, email, display_name, role, password_hash,"
            + " upstream_credential, created_at, updated_at FROM users";

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
                refuseCrossedNameAndEmail(c, user);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO users (name, name_key, email, email_key, display_name, role, password_hash,"
                                + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setString(1, user.name());
                    ps.setString(2, nameKey(user.name()));
                    ps.setString(3, user.email());
                    ps.setString(4, emailKey(user.email()));
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
                    insertGroups(c, added, user.groups());
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

    /**
     * A user's name may not be another's e-mail address, nor the reverse: a bound token's Basic
     * user may be either, and sign-in looks a user up by either, so the new user would take the
     * other's place (the unique keys only keep names apart and e-mails apart).
     */
    private static void refuseCrossedNameAndEmail(Connection c, NewUser user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE email_key = ? OR name_key = ?")) {
            ps.setString(1, emailKey(user.name()));
            ps.setString(2, user.email() == null ? null : nameKey(user.email()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new StoreConflictException(
                            "the user '" + rs.getString(1) + "' has that as a name or e-mail", null);
                }
            }
        }
    }

    /** The user named {@code name}, ignoring case; not a user who has it as their e-mail. */
    public Optional<User> findNamed(String name) {
        return find(name).filter(user -> nameKey(user.name()).equals(nameKey(name)));
    }

    /** The user whose name or e-mail is {@code nameOrEmail}, ignoring case; names win over e-mails. */
    public Optional<User> find(String nameOrEmail) {
        String nameKey = nameKey(nameOrEmail);
        String emailKey = emailKey(nameOrEmail);
        return db.read("reading user '" + nameOrEmail + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT
                    + " WHERE name_key = ? OR email_key = ? ORDER BY CASE WHEN name_key = ? THEN 0 ELSE 1 END")) {
                ps.setString(1, nameKey);
                ps.setString(2, emailKey);
                ps.setString(3, nameKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long id = rs.getLong("id");
                    return Optional.of(user(rs, groupsOf(c, id).getOrDefault(id, List.of())));
                }
            }
        });
    }

    /** Every user, by name. */
    public List<User> list() {
        return db.read("listing users", c -> {
            Map<Long, List<String>> groups = groupsOf(c, null);
            List<User> users = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY name_key");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(user(rs, groups.getOrDefault(rs.getLong("id"), List.of())));
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
                ps.setString(3, nameKey(name));
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
                ps.setString(3, nameKey(name));
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
                keepAnAdmin(c, name, "make them a user");
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE name_key = ? FOR UPDATE")) {
                ps.setString(1, nameKey(name));
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
                insertGroups(c, id, kept.get());
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
     * Refuses, inside {@code c}'s transaction, a change that would leave no admin: nobody could
     * then manage tokens or users from the admin plane. The admins' rows are locked first, so two
     * such changes at once, on one node or two, are decided one after the other.
     */
    private static void keepAnAdmin(Connection c, String name, String change) throws SQLException {
        List<String> admins = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name_key FROM users WHERE role = ? FOR UPDATE")) {
            ps.setString(1, UserRole.ADMIN.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    admins.add(rs.getString(1));
                }
            }
        }
        if (admins.equals(List.of(nameKey(name)))) {
            throw new StoreConflictException(
                    name + " is the last admin: make another user an admin before you " + change + ".", null);
        }
    }

    private static void insertGroups(Connection c, long userId, List<String> groups) throws SQLException {
        if (groups.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_groups (user_id, group_name) VALUES (?, ?)")) {
            for (String group : groups) {
                ps.setLong(1, userId);
                ps.setString(2, group);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The groups of the user {@code userId}, or of every user when it is null, by user id. */
    private static Map<Long, List<String>> groupsOf(Connection c, Long userId) throws SQLException {
        Map<Long, List<String>> groups = new HashMap<>();
        String sql = "SELECT user_id, group_name FROM user_groups" + (userId == null ? "" : " WHERE user_id = ?");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (userId != null) {
                ps.setLong(1, userId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    groups.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
                            .add(rs.getString(2));
                }
            }
        }
        return groups; // as stored; User keeps them in its own order
    }

    /**
     * Removes a user; their groups go with them.
     *
     * @return false when there is no such user
     * @throws StoreConflictException when the user is the last admin
     */
    public boolean remove(String name) {
        return db.transaction("removing user '" + name + "'", c -> {
            keepAnAdmin(c, name, "remove them");
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE name_key = ?")) {
                ps.setString(1, nameKey(name));
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static User user(ResultSet rs, List<String> groups) throws SQLException {
        return new User(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("email"),
                rs.getString("display_name"),
                UserRole.valueOf(rs.getString("role")),
                groups,
                rs.getString("password_hash"),
                rs.getBytes("upstream_credential"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }

    private static String nameKey(String name) {
        return name == null ? null : Jdbc.key(name.strip(), Jdbc.NAME_KEY_LENGTH);
    }

    private static String emailKey(String email) {
        return email == null ? null : Jdbc.key(email.strip(), Jdbc.EMAIL_KEY_LENGTH);
    }
}
