package io.tokengate.server.admin;

import io.tokengate.core.token.TokenCursor;
import io.tokengate.core.token.TokenId;
import io.tokengate.core.token.TokenQuery;
import io.tokengate.core.token.TokenStatus;
import io.tokengate.server.users.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The query string of {@code GET /api/v1/tokens}: its filters, a page by offset or by cursor, and
 * the opaque cursor a page hands on to the next one. A user who is not an admin lists only their
 * own tokens.
 */
final class TokenListQuery {
    private TokenListQuery() {}

    /** The page of tokens the query asks for, held to the caller's own tokens unless an admin; 400 or 403 otherwise. */
    static TokenQuery parse(ApiExchange ex) {
        ex.allowQuery("user", "status", "name", "expiresBefore", "unusedSince", "limit", "offset", "cursor");
        Principal me = ex.principal();
        Optional<String> user = ex.query("user");
        if (!me.admin()) {
            if (user.isPresent() && !me.is(user.get())) {
                throw ApiError.forbidden("user", "user: users list only their own tokens");
            }
            user = Optional.of(me.name());
        }
        Optional<TokenStatus> status = ex.query("status").map(TokenListQuery::status);
        int limit = ex.intQuery("limit", 1, TokenQuery.MAX_LIMIT).orElse(TokenQuery.DEFAULT_LIMIT);
        Optional<Integer> offset = ex.intQuery("offset", 0, Integer.MAX_VALUE);
        Optional<TokenCursor> cursor = ex.query("cursor").map(TokenListQuery::decodeCursor);
        if (offset.isPresent() && cursor.isPresent()) {
            throw ApiError.badRequest("cursor", "give cursor or offset, not both");
        }
        TokenQuery filters = new TokenQuery(
                user,
                status,
                ex.query("name"),
                ex.query("expiresBefore").map(t -> ApiTime.instant("expiresBefore", t)),
                ex.query("unusedSince").map(t -> ApiTime.instant("unusedSince", t)),
                Optional.empty(),
                0,
                TokenQuery.DEFAULT_LIMIT);
        return cursor.isPresent() ? filters.pageAfter(cursor.get(), limit) : filters.page(offset.orElse(0), limit);
    }

    private static TokenStatus status(String text) {
        try {
            return TokenStatus.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("status", "'" + text + "' is not a status (expected active, expired, revoked)");
        }
    }

    /** An opaque cursor: {@code after:<created at>/<token id>}, base64url. */
    static String encodeCursor(TokenCursor cursor) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        ("after:" + cursor.createdAt() + "/" + cursor.id().value())
                                .getBytes(StandardCharsets.US_ASCII));
    }

    private static TokenCursor decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            int slash = text.indexOf('/');
            if (text.startsWith("after:") && slash > 0) {
                return new TokenCursor(
                        Instant.parse(text.substring("after:".length(), slash)),
                        new TokenId(text.substring(slash + 1)));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // falls through to the error below
        }
        throw ApiError.badRequest("cursor", "not a cursor from a previous page's nextCursor");
    }
}
