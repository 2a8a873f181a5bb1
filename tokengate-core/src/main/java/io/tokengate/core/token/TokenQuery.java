package io.tokengate.core.token;

import java.util.Objects;
import java.util.Optional;

/**
 * Which tokens to list, newest first, one page at a time.
 *
 * @param boundUser only tokens bound to this user (case-insensitive)
 * @param status only tokens in this status, judged now
 * @param nameContains only tokens whose name contains this text (case-insensitive)
 * @param offset tokens to skip
 * @param limit page size, 1 to {@value #MAX_LIMIT}
 */
public record TokenQuery(
        Optional<String> boundUser,
        Optional<TokenStatus> status,
        Optional<String> nameContains,
        int offset,
        int limit) {
    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;

    public TokenQuery {
        Objects.requireNonNull(boundUser, "boundUser");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nameContains, "nameContains");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
    }

    /** Every token, first page. */
    public static TokenQuery all() {
        return new TokenQuery(Optional.empty(), Optional.empty(), Optional.empty(), 0, DEFAULT_LIMIT);
    }

    public TokenQuery withBoundUser(String user) {
        return new TokenQuery(Optional.of(user), status, nameContains, offset, limit);
    }

    public TokenQuery withStatus(TokenStatus status) {
        return new TokenQuery(boundUser, Optional.of(status), nameContains, offset, limit);
    }

    public TokenQuery withNameContaining(String text) {
        return new TokenQuery(boundUser, status, Optional.of(text), offset, limit);
    }

    public TokenQuery page(int offset, int limit) {
        return new TokenQuery(boundUser, status, nameContains, offset, limit);
    }
}
