package io.tokengate.store;

import io.tokengate.core.token.IpAllowList;
import io.tokengate.core.token.RateLimit;
import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * How a {@link Token} is read from the database: the row of {@code tokens} joined with its usage
 * in {@code token_usage}, selected by {@link #SELECT} and turned into a token by {@link
 * #token(ResultSet)}. Every read of whole tokens goes through here, so that all see the same
 * columns.
 */
final class TokenRows {
    /** The columns {@link #token(ResultSet)} reads, from {@code tokens t} and {@code token_usage u}. */
    static final String SELECT = "SELECT t.id, t.name, t.bound_user, t.created_by, t.created_at,"
            + " t.expires_at, t.limits_text, t.allowed_ips, t.rate_limit, t.revoked_at, t.secret_hint, u.last_used_at,"
            + " u.last_used_ip, u.use_count FROM tokens t LEFT JOIN token_usage u ON u.token_id = t.id";

    private TokenRows() {}

    /** The token {@code sql} (a {@link #SELECT} with one string parameter, {@code arg}) finds, if any. */
    static Optional<Token> one(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(token(rs)) : Optional.empty();
            }
        }
    }

    /** The token of the current row of a {@link #SELECT}. */
    static Token token(ResultSet rs) throws SQLException {
        return new Token(
                new TokenId(rs.getString("id")),
                rs.getString("name"),
                Optional.ofNullable(rs.getString("bound_user")),
                rs.getString("created_by"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "expires_at"),
                rs.getString("limits_text"),
                IpAllowList.parse(rs.getString("allowed_ips")),
                RateLimit.parse(rs.getString("rate_limit")),
                Jdbc.instant(rs, "revoked_at"),
                Jdbc.instant(rs, "last_used_at"),
                rs.getString("last_used_ip"),
                rs.getLong("use_count"),
                rs.getString("secret_hint"));
    }
}
