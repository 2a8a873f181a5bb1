package io.tokengate.core.token;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * A token as the store keeps it, without its secret. Times are kept to the microsecond, as the
 * databases store them.
 *
 * @param id public, opaque id
 * @param name what the token is for, as its owner named it
 * @param boundUser the only user who may present the token; empty for an unbound token, which any
 *     Basic user name may present
 * @param createdBy who created it
 * @param createdAt when it was created
 * @param expiresAt when it stops working; null for never
 * @param limits the restrictions text exactly as saved (it parses: a token never holds limits that
 *     do not)
 * @param allowedIps client addresses it may be used from
 * @param rateLimit how many requests it may make per period; empty for no limit
 * @param revokedAt when it was revoked; null while not revoked
 * @param lastUsedAt when it last authenticated a request; null if never used
 * @param lastUsedIp the client address of that request; null if never used
 * @param useCount how many requests it authenticated
 * @param hint a non-secret reminder of the secret, like {@code tgk_…abcd}
 */
public record Token(
        TokenId id,
        String name,
        Optional<String> boundUser,
        String createdBy,
        Instant createdAt,
        Instant expiresAt,
        String limits,
        IpAllowList allowedIps,
        Optional<RateLimit> rateLimit,
        Instant revokedAt,
        Instant lastUsedAt,
        String lastUsedIp,
        long useCount,
        String hint) {

    public Token {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(boundUser, "boundUser");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(allowedIps, "allowedIps");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(hint, "hint");
        if (useCount < 0) {
            throw new IllegalArgumentException("useCount must not be negative");
        }
        createdAt = micros(createdAt);
        expiresAt = micros(expiresAt);
        revokedAt = micros(revokedAt);
        lastUsedAt = micros(lastUsedAt);
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** Revoked beats expired; a token expires at the instant {@link #expiresAt()}. */
    public TokenStatus status(Clock clock) {
        if (revokedAt != null) {
            return TokenStatus.REVOKED;
        }
        if (expiresAt != null && !clock.instant().isBefore(expiresAt)) {
            return TokenStatus.EXPIRED;
        }
        return TokenStatus.ACTIVE;
    }

    public boolean isBound() {
        return boundUser.isPresent();
    }

    public Optional<Instant> expiry() {
        return Optional.ofNullable(expiresAt);
    }

    public Token withEditableFields(
            String name, String limits, Instant expiresAt, IpAllowList allowedIps, Optional<RateLimit> rateLimit) {
        return new Token(
                id,
                name,
                boundUser,
                createdBy,
                createdAt,
                expiresAt,
                limits,
                allowedIps,
                rateLimit,
                revokedAt,
                lastUsedAt,
                lastUsedIp,
                useCount,
                hint);
    }
}
