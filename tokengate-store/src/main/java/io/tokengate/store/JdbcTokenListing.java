package io.tokengate.store;

import io.tokengate.core.token.Token;
import io.tokengate.core.token.TokenCursor;
import io.tokengate.core.token.TokenPage;
import io.tokengate.core.token.TokenQuery;
import io.tokengate.core.token.TokenStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Pages of tokens for a {@link TokenQuery}: its filters as SQL conditions, newest first in the
 * order {@code (created_at, id)}, paged by offset or after a {@link TokenCursor}, with the total
 * the filters match and whether more follow.
 */
final class JdbcTokenListing {
    private JdbcTokenListing() {}

    /** See {@link io.tokengate.core.token.TokenRepository#list}; {@code now} tells expired tokens. */
    static TokenPage list(Database db, TokenQuery query, Instant now) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        query.boundUser().ifPresent(user -> {
            where.append(" AND t.bound_user_key = ?");
            args.add(Jdbc.userKey(user));
        });
        query.nameContains().ifPresent(text -> {
            where.append(" AND LOWER(t.name) LIKE ? ESCAPE '!'");
            args.add(Jdbc.containsPattern(text.toLowerCase(Locale.ROOT)));
        });
        query.expiresBefore().ifPresent(instant -> {
            where.append(" AND t.expires_at < ?");
            args.add(instant);
        });
        query.unusedSince().ifPresent(instant -> {
            // Never used counts from creation: a token made yesterday and not used yet is not stale.
            where.append(" AND t.created_at < ? AND NOT EXISTS (SELECT 1 FROM token_usage n"
                    + " WHERE n.token_id = t.id AND n.last_used_at >= ?)");
            args.add(instant);
            args.add(instant);
        });
        query.status().ifPresent(status -> {
            where.append(
                    switch (status) {
                        case ACTIVE -> " AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)";
                        case EXPIRED -> " AND t.revoked_at IS NULL AND t.expires_at <= ?";
                        case REVOKED -> " AND t.revoked_at IS NOT NULL";
                    });
            if (status != TokenStatus.REVOKED) {
                args.add(now);
            }
        });
        // A page after a cursor holds the tokens older than it in the order (created_at, id), which
        // the index tokens_created walks; one scan counts them and all the matching tokens, so the
        // page's offset is the difference.
        Optional<TokenCursor> cursor = query.after();
        String afterCursor = "(t.created_at < ? OR (t.created_at = ? AND t.id < ?))";
        List<Object> afterArgs = cursor.<List<Object>>map(
                        at -> List.of(at.createdAt(), at.createdAt(), at.id().value()))
                .orElse(List.of());
        return db.read("listing tokens", c -> {
            long total;
            long following;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), "
                    + (cursor.isPresent() ? "COUNT(CASE WHEN " + afterCursor + " THEN 1 END)" : "0") + " FROM tokens t"
                    + where)) {
                Jdbc.bind(ps, Jdbc.concat(afterArgs, args));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                    following = rs.getLong(2);
                }
            }
            List<Token> tokens = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement(TokenRows.SELECT + where + (cursor.isPresent() ? " AND " + afterCursor : "")
                            + " ORDER BY t.created_at DESC, t.id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                int next = Jdbc.bind(ps, Jdbc.concat(args, afterArgs));
                ps.setInt(next, query.offset());
                ps.setInt(next + 1, query.limit() + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tokens.add(TokenRows.token(rs));
                    }
                }
            }
            boolean more = tokens.size() > query.limit();
            long offset = cursor.isPresent() ? total - following : query.offset();
            return new TokenPage(
                    more ? tokens.subList(0, query.limit()) : tokens, (int) offset, query.limit(), total, more);
        });
    }
}
