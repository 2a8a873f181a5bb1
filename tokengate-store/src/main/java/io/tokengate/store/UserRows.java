package io.tokengate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a local user sits in the {@code users} table and their groups in {@code user_groups}: the
 * columns a user is read from, the groups read and written, and the case-folded keys that names
 * and e-mail addresses are looked up by.
 */
final class UserRows {
    static final String SELECT = "SELECT id, name, email, display_name, role, password_hash,"
            + " upstream_credential, created_at, updated_at FROM users";

    private UserRows() {}

    static User user(ResultSet rs, List<String> groups) throws SQLException {
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

    static void insertGroups(Connection c, long userId, List<String> groups) throws SQLException {
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
    static Map<Long, List<String>> groupsOf(Connection c, Long userId) throws SQLException {
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

    static String nameKey(String name) {
        return name == null ? null : Jdbc.userKey(name.strip());
    }

    static String emailKey(String email) {
        return email == null ? null : Jdbc.key(email.strip(), Jdbc.EMAIL_KEY_LENGTH);
    }
}
