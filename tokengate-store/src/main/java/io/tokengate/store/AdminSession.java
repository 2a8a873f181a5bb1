package io.tokengate.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed-in session of the admin plane, as stored. The cookie value itself is never stored:
 * only its digest, which is the key.
 *
 * @param idDigest lower-case hex SHA-256 of the cookie value (64 characters)
 * @param user who signed in
 * @param role the role granted at sign-in (for users of an external directory, who have no row
 *     in {@code users})
 * @param source which identity source vouched for the user ({@code local} or {@code jira})
 * @param createdAt when the user signed in
 * @param lastSeenAt when the session was last used (updated at most about once a minute)
 * @param expiresAt the absolute end of the session, whatever its use
 */
public record AdminSession(
        String idDigest,
        String user,
        UserRole role,
        String source,
        Instant createdAt,
        Instant lastSeenAt,
        Instant expiresAt) {
    public AdminSession {
        Objects.requireNonNull(idDigest, "idDigest");
        if (!idDigest.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a session id digest is 64 lower-case hex digits");
        }
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "AdminSession[user=" + user + ", role=" + role + ", source=" + source + ", expiresAt=" + expiresAt + "]";
    }
}
