package io.tokengate.core.token;

import java.util.Objects;
import java.util.Optional;

/**
 * What to create: a request to {@link TokenService#create(TokenSpec)}, validated there.
 *
 * @param name what the token is for (1 to 200 characters)
 * @param boundUser the user the token is bound to; empty for an unbound token (admins only: the
 *     caller checks that)
 * @param createdBy the user creating it, recorded on the token
 * @param expiry when it expires; capped by {@code token.max.lifetime.days}
 * @param limits restrictions text; blank for none
 * @param allowedIps allowed client addresses, see {@link IpAllowList#parse(String)}; blank for any
 * @param rateLimit requests per period, see {@link RateLimit#parse(String)}; blank for no limit
 */
public record TokenSpec(
        String name,
        Optional<String> boundUser,
        String createdBy,
        Expiry expiry,
        String limits,
        String allowedIps,
        String rateLimit) {
    public TokenSpec {
        Objects.requireNonNull(boundUser, "boundUser");
        expiry = expiry == null ? Expiry.never() : expiry;
        limits = limits == null ? "" : limits;
        allowedIps = allowedIps == null ? "" : allowedIps;
        rateLimit = rateLimit == null ? "" : rateLimit;
    }

    /** A token bound to {@code user}, no expiry, no restrictions, any address. */
    public static TokenSpec bound(String name, String user, String createdBy) {
        return new TokenSpec(name, Optional.of(user), createdBy, Expiry.never(), "", "", "");
    }

    /** An unbound token (any Basic user may present it), no expiry, no restrictions, any address. */
    public static TokenSpec unbound(String name, String createdBy) {
        return new TokenSpec(name, Optional.empty(), createdBy, Expiry.never(), "", "", "");
    }

    public TokenSpec withExpiry(Expiry expiry) {
        return new TokenSpec(name, boundUser, createdBy, expiry, limits, allowedIps, rateLimit);
    }

    public TokenSpec withLimits(String limits) {
        return new TokenSpec(name, boundUser, createdBy, expiry, limits, allowedIps, rateLimit);
    }

    public TokenSpec withAllowedIps(String allowedIps) {
        return new TokenSpec(name, boundUser, createdBy, expiry, limits, allowedIps, rateLimit);
    }

    public TokenSpec withRateLimit(String rateLimit) {
        return new TokenSpec(name, boundUser, createdBy, expiry, limits, allowedIps, rateLimit);
    }
}
