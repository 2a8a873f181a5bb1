package io.tokengate.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The {@code admin_sessions} table: plain storage for the admin plane's sessions, so that any node
 * of a cluster accepts a session made on another. The admin plane owns the rules (idle and
 * absolute expiry, what the cookie is); this class only stores and finds rows by digest.
 */
public final class JdbcSessionStore {
    private static final String SELECT =
            "SELECT id_digest, user_name, role, source, created_at, last_seen_at, expires_at FROM admin_sessions";

    private final Database db;

    JdbcSessionStore(Database db) {
        this.db = db;
    }

    public void create(AdminSession session) {
        db.transaction("storing a session of user '" + session.user() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO admin_sessions (id_digest, user_name, user_key,"
                    + " role, source, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, session.idDigest());
                ps.setString(2, session.user());
                ps.setString(3, Jdbc.userKey(session.user().strip()));
                ps.setString(4, session.role().name());
                ps.setString(5, session.source());
                Jdbc.setInstant(ps, 6, micros(session.createdAt()));
                Jdbc.setInstant(ps, 7, micros(session.lastSeenAt()));
                Jdbc.setInstant(ps, 8, micros(session.expiresAt()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The session stored under {@code idDigest}, expired or not: the caller judges expiry. */
    public Optional<AdminSession> find(String idDigest) {
        return db.read("reading a session", c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id_digest = ?")) {
                ps.setString(1, idDigest);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(session(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Records use of the session at {@code at}; false when it no longer exists. */
    public boolean touch(String idDigest, Instant at) {
        return db.transaction("updating a session", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE admin_sessions SET last_seen_at = ? WHERE id_digest = ?")) {
                Jdbc.setInstant(ps, 1, micros(at));
                ps.setString(2, idDigest);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Ends one session (sign-out); false when there was none. */
    public boolean delete(String idDigest) {
        return db.transaction("deleting a session", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM admin_sessions WHERE id_digest = ?")) {
                ps.setString(1, idDigest);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Ends every session of {@code user} (case-insensitive), e.g. when the user is removed. */
    public int deleteForUser(String user) {
        return db.transaction("deleting the sessions of user '" + user + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM admin_sessions WHERE user_key = ?")) {
                ps.setString(1, Jdbc.userKey(user.strip()));
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Ends every session of {@code user} (case-insensitive) but the one stored under {@code
     * keepDigest}, e.g. when the user's password changes: the session that changed it goes on.
     *
     * @return how many were ended
     */
    public int deleteForUserExcept(String user, String keepDigest) {
        return db.transaction("deleting the other sessions of user '" + user + "'", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM admin_sessions WHERE user_key = ? AND id_digest <> ?")) {
                ps.setString(1, Jdbc.userKey(user.strip()));
                ps.setString(2, keepDigest);
                return ps.executeUpdate();
            }
        });
    }

    /** Ends every session, e.g. those a restored backup brought back. */
    public int deleteAll() {
        return db.transaction("deleting every session", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM admin_sessions")) {
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Deletes sessions past their absolute end, or unused since {@code idleCutoff}.
     *
     * @return how many were deleted
     */
    public int deleteExpired(Instant now, Instant idleCutoff) {
        return db.transaction("deleting expired sessions", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM admin_sessions WHERE expires_at <= ? OR last_seen_at < ?")) {
                Jdbc.setInstant(ps, 1, micros(now));
                Jdbc.setInstant(ps, 2, micros(idleCutoff));
                return ps.executeUpdate();
            }
        });
    }

    private static AdminSession session(ResultSet rs) throws SQLException {
        return new AdminSession(
                rs.getString("id_digest"),
                rs.getString("user_name"),
                UserRole.valueOf(rs.getString("role")),
                rs.getString("source"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "last_seen_at"),
                Jdbc.instant(rs, "expires_at"));
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
