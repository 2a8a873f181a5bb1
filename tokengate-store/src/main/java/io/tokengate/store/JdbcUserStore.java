package io.tokengate.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Local users in the {@code users} table: plain storage for the user service of the admin plane,
 * which owns password hashing and credential encryption. Look-ups by name or e-mail ignore case.
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
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        return keys.getLong(1);
                    }
                }
            });
            return new User(
                    id,
                    user.name(),
                    user.email(),
                    user.displayName(),
                    user.role(),
                    user.passwordHash(),
                    null,
                    now,
                    now);
        } catch (StoreConflictException e) {
            throw new StoreConflictException(
                    "a user named '" + user.name() + "'"
                            + (user.email() == null ? "" : " or with e-mail " + user.email())
                            + " already exists (names and e-mail addresses ignore case)",
                    e);
        }
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
                    return rs.next() ? Optional.of(user(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Every user, by name. */
    public List<User> list() {
        return db.read("listing users", c -> {
            List<User> users = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY name_key");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(user(rs));
                }
            }
            return users;
        });
    }

    /**
     * Replaces the e-mail, display name, role and password hash of the user named {@code
     * user.name()}.
     *
     * @return false when there is no such user
     */
    public boolean update(User user) {
        return db.transaction("updating user '" + user.name() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET email = ?, email_key = ?,"
                    + " display_name = ?, role = ?, password_hash = ?, updated_at = ? WHERE name_key = ?")) {
                ps.setString(1, user.email());
                ps.setString(2, emailKey(user.email()));
                ps.setString(3, user.displayName());
                ps.setString(4, user.role().name());
                ps.setString(5, user.passwordHash());
                Jdbc.setInstant(ps, 6, clock.instant().truncatedTo(ChronoUnit.MICROS));
                ps.setString(7, nameKey(user.name()));
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

    /** @return false when there is no such user */
    public boolean remove(String name) {
        return db.transaction("removing user '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE name_key = ?")) {
                ps.setString(1, nameKey(name));
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("email"),
                rs.getString("display_name"),
                UserRole.valueOf(rs.getString("role")),
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
