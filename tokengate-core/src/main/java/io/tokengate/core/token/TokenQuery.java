package io.tokengate.core.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which tokens to list, newest first, one page at a time.
 *
 * @param boundUser only tokens bound to this user (case-insensitive)
 * @param status only tokens in this status, judged now
 * @param nameContains only tokens whose name contains this text (case-insensitive)
 * @param expiresBefore only tokens with an expiry before this instant (those that expired too,
 *     unless {@code status} says otherwise)
 * @param unusedSince only tokens not used since this instant: last used before it, or never used
 *     and created before it
 * @param after start just after this place in the order (a previous page's {@link TokenPage#next()})
 * @param offset tokens to skip; 0 when the page starts {@code after} a place
 * @param limit page size, 1 to {@value #MAX_LIMIT}
 */
public record TokenQuery(
        Optional<String> boundUser,
        Optional<TokenStatus> status,
        Optional<String> nameContains,
        Optional<Instant> expiresBefore,
        Optional<Instant> unusedSince,
        Optional<TokenCursor> after,
        int offset,
        int limit) {
    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;

    public TokenQuery {
        Objects.requireNonNull(boundUser, "boundUser");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nameContains, "nameContains");
        Objects.requireNonNull(expiresBefore, "expiresBefore");
        Objects.requireNonNull(unusedSince, "unusedSince");
        Objects.requireNonNull(after, "after");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
        if (after.isPresent() && offset != 0) {
            throw new IllegalArgumentException("a page starts after a place or at an offset, not both");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
    }

    /** Every token, first page. */
    public static TokenQuery all() {
        return new TokenQuery(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                DEFAULT_LIMIT);
    }

    public TokenQuery withBoundUser(String user) {
        return new TokenQuery(
                Optional.of(user), status, nameContains, expiresBefore, unusedSince, after, offset, limit);
    }

    public TokenQuery withStatus(TokenStatus status) {
        return new TokenQuery(
                boundUser, Optional.of(status), nameContains, expiresBefore, unusedSince, after, offset, limit);
    }

    public TokenQuery withNameContaining(String text) {
        return new TokenQuery(boundUser, status, Optional.of(text), expiresBefore, unusedSince, after, offset, limit);
    }

    public TokenQuery withExpiryBefore(Instant instant) {
        return new TokenQuery(boundUser, status, nameContains, Optional.of(instant), unusedSince, after, offset, limit);
    }

    public TokenQuery withNoUseSince(Instant instant) {
        return new TokenQuery(
                boundUser, status, nameContains, expiresBefore, Optional.of(instant), after, offset, limit);
    }

    /** The page of {@code limit} tokens that skips the first {@code offset}. */
    public TokenQuery page(int offset, int limit) {
        return new TokenQuery(
                boundUser, status, nameContains, expiresBefore, unusedSince, Optional.empty(), offset, limit);
    }

    /** The page of {@code limit} tokens that starts just after {@code cursor}. */
    public TokenQuery pageAfter(TokenCursor cursor, int limit) {
        return new TokenQuery(
                boundUser, status, nameContains, expiresBefore, unusedSince, Optional.of(cursor), 0, limit);
    }
}
