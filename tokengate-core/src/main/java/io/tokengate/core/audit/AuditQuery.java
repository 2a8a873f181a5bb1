package io.tokengate.core.audit;

import io.tokengate.core.token.TokenId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which audit records to read, newest first, one page at a time. Filters combine with AND.
 *
 * @param tokenId only records of this token
 * @param user only records whose Basic user or effective user is this user (case-insensitive)
 * @param userTokens whether every record of a token bound to the user matches the user filter
 *     too, whoever presented it: a user's own view of the log. The log asks its token store which
 *     tokens those are, so that the view costs the same for a user of one token as for a CI job
 *     that made thousands. Only with a user filter.
 * @param decision only allowed or only denied
 * @param kind only this kind
 * @param from only records at or after this time
 * @param to only records before this time
 * @param cursor where the previous page ended ({@link AuditPage#nextCursor()}); empty for the first
 *     page. Opaque; stable under concurrent inserts: a page never repeats or skips a record that
 *     existed when the first page was read.
 * @param limit page size, 1 to {@value #MAX_LIMIT}
 */
public record AuditQuery(
        Optional<TokenId> tokenId,
        Optional<String> user,
        boolean userTokens,
        Optional<AuditDecision> decision,
        Optional<AuditKind> kind,
        Optional<Instant> from,
        Optional<Instant> to,
        Optional<String> cursor,
        int limit) {
    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;

    public AuditQuery {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(user, "user");
        if (userTokens && user.isEmpty()) {
            throw new IllegalArgumentException("userTokens widen a user filter, and there is none");
        }
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(cursor, "cursor");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
    }

    /** Every record, first page of {@value #DEFAULT_LIMIT}. */
    public static AuditQuery all() {
        return new AuditQuery(
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                DEFAULT_LIMIT);
    }

    public AuditQuery withTokenId(TokenId id) {
        return new AuditQuery(Optional.of(id), user, userTokens, decision, kind, from, to, cursor, limit);
    }

    public AuditQuery withUser(String user) {
        return new AuditQuery(tokenId, Optional.of(user), userTokens, decision, kind, from, to, cursor, limit);
    }

    /**
     * The records of {@code user}, as Basic or effective user, and every record of a token bound to
     * {@code user}: the user's own view. A request that presented one of their tokens under another
     * name was still an attempt with the user's token.
     */
    public AuditQuery withUserOrTheirTokens(String user) {
        return new AuditQuery(tokenId, Optional.of(user), true, decision, kind, from, to, cursor, limit);
    }

    public AuditQuery withDecision(AuditDecision decision) {
        return new AuditQuery(tokenId, user, userTokens, Optional.of(decision), kind, from, to, cursor, limit);
    }

    public AuditQuery withKind(AuditKind kind) {
        return new AuditQuery(tokenId, user, userTokens, decision, Optional.of(kind), from, to, cursor, limit);
    }

    /** Records in {@code [from, to)}; either may be null for an open end. */
    public AuditQuery between(Instant from, Instant to) {
        return new AuditQuery(
                tokenId,
                user,
                userTokens,
                decision,
                kind,
                Optional.ofNullable(from),
                Optional.ofNullable(to),
                cursor,
                limit);
    }

    public AuditQuery after(String cursor) {
        return new AuditQuery(tokenId, user, userTokens, decision, kind, from, to, Optional.of(cursor), limit);
    }

    public AuditQuery withLimit(int limit) {
        return new AuditQuery(tokenId, user, userTokens, decision, kind, from, to, cursor, limit);
    }
}
