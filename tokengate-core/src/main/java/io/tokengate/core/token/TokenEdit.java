package io.tokengate.core.token;

import java.util.Objects;
import java.util.Optional;

/**
 * The changes to make to a token: an empty field stays as it is. Applied by {@link
 * TokenService#edit(TokenId, TokenEdit)} in standard mode only. The secret is never edited: rotate
 * instead.
 */
public record TokenEdit(
        Optional<String> name,
        Optional<String> limits,
        Optional<Expiry> expiry,
        Optional<String> allowedIps,
        Optional<String> rateLimit) {
    public TokenEdit {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(allowedIps, "allowedIps");
        Objects.requireNonNull(rateLimit, "rateLimit");
    }

    /** No change at all. */
    public static TokenEdit none() {
        return new TokenEdit(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public TokenEdit withName(String name) {
        return new TokenEdit(Optional.of(name), limits, expiry, allowedIps, rateLimit);
    }

    public TokenEdit withLimits(String limits) {
        return new TokenEdit(name, Optional.of(limits), expiry, allowedIps, rateLimit);
    }

    public TokenEdit withExpiry(Expiry expiry) {
        return new TokenEdit(name, limits, Optional.of(expiry), allowedIps, rateLimit);
    }

    public TokenEdit withAllowedIps(String allowedIps) {
        return new TokenEdit(name, limits, expiry, Optional.of(allowedIps), rateLimit);
    }

    /** A new rate limit; blank or {@code none} removes it. */
    public TokenEdit withRateLimit(String rateLimit) {
        return new TokenEdit(name, limits, expiry, allowedIps, Optional.of(rateLimit));
    }

    public boolean isEmpty() {
        return name.isEmpty() && limits.isEmpty() && expiry.isEmpty() && allowedIps.isEmpty() && rateLimit.isEmpty();
    }
}
