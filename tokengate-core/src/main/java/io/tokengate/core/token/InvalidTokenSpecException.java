package io.tokengate.core.token;

/**
 * A token field that is not acceptable: a blank name, a bound user with a colon, an expiry in the
 * past or beyond the admin's lifetime cap. The admin plane answers 400 and names {@link #field()}.
 * Limits and allowed IPs fail with their own {@link io.tokengate.core.limits.LimitsSyntaxException}
 * and {@link IpAllowListSyntaxException}, which carry positions. A token secret pasted into the
 * field is quoted as its hint.
 */
public final class InvalidTokenSpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    InvalidTokenSpecException(String field, String message) {
        super(SecretScanner.redact(field + ": " + message));
        this.field = field;
    }

    /** The field's name as the admin API spells it: name, user, expiresAt, createdBy, rateLimit. */
    public String field() {
        return field;
    }
}
