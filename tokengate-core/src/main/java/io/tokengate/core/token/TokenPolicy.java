package io.tokengate.core.token;

/**
 * The admin's token policy, read once at start-up and the same on every node.
 *
 * @param secureMode {@code token.secure.mode}: secrets are shown once, at creation, and tokens
 *     cannot be edited or revealed afterwards
 * @param maxLifetimeDays {@code token.max.lifetime.days}: the longest expiry a token may get, in
 *     days from the change; 0 means unlimited
 */
public record TokenPolicy(boolean secureMode, int maxLifetimeDays) {
    public TokenPolicy {
        if (maxLifetimeDays < 0 || maxLifetimeDays > Expiry.MAX_DAYS) {
            throw new IllegalArgumentException("token.max.lifetime.days must be from 0 (unlimited) to "
                    + Expiry.MAX_DAYS + ", got " + maxLifetimeDays);
        }
    }

    /** Standard mode, no lifetime cap. */
    public static TokenPolicy standard() {
        return new TokenPolicy(false, 0);
    }
}
