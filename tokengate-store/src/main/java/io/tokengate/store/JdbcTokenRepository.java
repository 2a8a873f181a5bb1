package io.tokengate.store;

import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenDigest;
import io.tokengate.core.token.TokenId;
import io.tokengate.core.token.TokenPage;
import io.tokengate.core.token.TokenQuery;
import io.tokengate.core.token.TokenRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Tokens in the {@code tokens} table, usage in {@code token_usage}. On PostgreSQL a trigger
 * notifies every node of each committed change (see the migration), so no method here needs to.
 * Whether the database is in secure mode it asks {@link JdbcSecureMode}; how a token row reads is
 * {@link TokenRows}', and pages of tokens are {@link JdbcTokenListing}'s.
 */
final class JdbcTokenRepository implements TokenRepository {
    private final Database db;
    private final JdbcSecureMode secureMode;

    JdbcTokenRepository(Database db) {
        this.db = db;
        this.secureMode = new JdbcSecureMode(db);
    }

    @Override
    public void insert(Token token, TokenDigest digest, byte[] sealedSecret) {
        db.transaction("creating token " + token.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tokens (id, name, bound_user, bound_user_key,"
                    + " created_by, created_at, expires_at, revoked_at, limits_text, allowed_ips, secret_digest,"
                    + " secret_sealed, secret_hint, rate_limit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, token.id().value());
                ps.setString(2, token.name());
                ps.setString(3, token.boundUser().orElse(null));
                ps.setString(4, token.boundUser().map(Jdbc::userKey).orElse(null));
                ps.setString(5, token.createdBy());
                Jdbc.setInstant(ps, 6, token.createdAt());
                Jdbc.setInstant(ps, 7, token.expiresAt());
                Jdbc.setInstant(ps, 8, token.revokedAt());
                ps.setString(9, token.limits());
                ps.setString(10, token.allowedIps().toString());
                ps.setString(11, digest.hex());
                ps.setBytes(12, sealedSecret);
                ps.setString(13, token.hint());
                ps.setString(14, rateLimit(token));
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO token_usage (token_id, use_count) VALUES (?, 0)")) {
                ps.setString(1, token.id().value());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Token> findById(TokenId id) {
        return db.read("reading token " + id, c -> TokenRows.one(c, TokenRows.SELECT + " WHERE t.id = ?", id.value()));
    }

    @Override
    public Optional<Token> findByDigest(TokenDigest digest) {
        return db.readOnRequestPath(
                "looking up a token",
                c -> TokenRows.one(c, TokenRows.SELECT + " WHERE t.secret_digest = ?", digest.hex()));
    }

    @Override
    public TokenPage list(TokenQuery query, Instant now) {
        return JdbcTokenListing.list(db, query, now);
    }

    @Override
    public Optional<Token> updateEditable(TokenId id, UnaryOperator<Token> change) {
        return db.transaction("editing token " + id, c -> {
            // Holds the row until the commit: a second edit, or a revocation, waits for this one
            // and then reads what it wrote. (Locked apart from the read: PostgreSQL locks no row
            // on the nullable side of the read's outer join.)
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM tokens WHERE id = ? FOR UPDATE")) {
                lock.setString(1, id.value());
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Token>empty();
                    }
                }
            }
            Optional<Token> current = TokenRows.one(c, TokenRows.SELECT + " WHERE t.id = ?", id.value());
            if (current.isEmpty()) {
                return current;
            }
            Token token = change.apply(current.get());
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE tokens SET name = ?, limits_text = ?, expires_at = ?, allowed_ips = ?, rate_limit = ?"
                            + " WHERE id = ?")) {
                ps.setString(1, token.name());
                ps.setString(2, token.limits());
                Jdbc.setInstant(ps, 3, token.expiresAt());
                ps.setString(4, token.allowedIps().toString());
                ps.setString(5, rateLimit(token));
                ps.setString(6, id.value());
                ps.executeUpdate();
            }
            return Optional.of(token);
        });
    }

    @Override
    public boolean replaceSecret(TokenId id, TokenDigest digest, byte[] sealedSecret, String hint) {
        return db.transaction("rotating token " + id, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE tokens SET secret_digest = ?, secret_sealed = ?, secret_hint = ?"
                            + " WHERE id = ? AND revoked_at IS NULL")) {
                ps.setString(1, digest.hex());
                ps.setBytes(2, sealedSecret);
                ps.setString(3, hint);
                ps.setString(4, id.value());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Revocation revoke(TokenId id, Instant at) {
        return db.transaction("revoking token " + id, c -> {
            // The row's lock orders revokes at once: the one that finds it unrevoked changes it.
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                Jdbc.setInstant(ps, 1, at);
                ps.setString(2, id.value());
                if (ps.executeUpdate() == 1) {
                    return Revocation.REVOKED;
                }
            }
            return exists(c, id) ? Revocation.ALREADY_REVOKED : Revocation.NO_SUCH_TOKEN;
        });
    }

    @Override
    public boolean delete(TokenId id) {
        return db.transaction("deleting token " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE id = ?")) {
                ps.setString(1, id.value());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<byte[]> sealedSecret(TokenId id) {
        return db.read("reading the stored secret of token " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT secret_sealed FROM tokens WHERE id = ?")) {
                ps.setString(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public int eraseSealedSecrets() {
        return db.transaction("erasing stored secrets (secure mode)", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE tokens SET secret_sealed = NULL WHERE secret_sealed IS NOT NULL")) {
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean secureModeRecorded() {
        return secureMode.current().isPresent();
    }

    /** Adds counted uses; a token deleted meanwhile is skipped. Last use wins by time. */
    void addUsage(List<UsageAccumulator.Usage> usages) {
        db.transaction("recording token usage", c -> {
            // The IP is set before the time, so it compares with the old time on every database.
            try (PreparedStatement ps = c.prepareStatement("UPDATE token_usage SET use_count = use_count + ?,"
                    + " last_used_ip = CASE WHEN last_used_at IS NULL OR last_used_at < ? THEN ? ELSE last_used_ip END,"
                    + " last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < ? THEN ? ELSE last_used_at END"
                    + " WHERE token_id = ?")) {
                for (UsageAccumulator.Usage usage : usages) {
                    ps.setLong(1, usage.count());
                    Jdbc.setInstant(ps, 2, usage.lastAt());
                    ps.setString(3, usage.lastIp());
                    Jdbc.setInstant(ps, 4, usage.lastAt());
                    Jdbc.setInstant(ps, 5, usage.lastAt());
                    ps.setString(6, usage.id().value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static boolean exists(Connection c, TokenId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tokens WHERE id = ?")) {
            ps.setString(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String rateLimit(Token token) {
        return token.rateLimit().map(RateLimit::toString).orElse(null);
    }
}
