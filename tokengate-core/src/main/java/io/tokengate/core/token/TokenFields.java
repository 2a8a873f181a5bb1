package io.tokengate.core.token;

import io.tokengate.core.Unseen;
import io.tokengate.core.limits.LimitsParser;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a token's fields may hold, checked before anything is stored, at creation and at each
 * edit alike: names and users of bounded length, stripped, with no invisible characters and no
 * token secret (they are shown in lists and may reach the audit log); limits that parse; an expiry
 * in the future and within {@code token.max.lifetime.days}. A failure is an {@link
 * InvalidTokenSpecException} naming the field as the API spells it; {@code checked} checks every
 * field of a new or edited token and reports all the fields at fault at once (an {@link
 * InvalidTokenFieldsException} when there are several).
 */
final class TokenFields {
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_USER_LENGTH = 255;

    private TokenFields() {}

    /** A new token's fields, checked: every field's problem is found before any is reported. */
    static New checked(TokenSpec spec, Instant now, TokenPolicy policy) {
        FieldChecks checks = new FieldChecks();
        String name = checks.check(() -> name(spec.name()));
        Optional<String> user = checks.check(() -> spec.boundUser().map(TokenFields::user));
        String createdBy = checks.check(() -> createdBy(spec.createdBy()));
        Instant expiresAt = checks.check(() -> expiry(spec.expiry(), now, now, policy));
        String limits = checks.check(() -> limits(spec.limits()));
        IpAllowList allowedIps = checks.check(() -> IpAllowList.parse(spec.allowedIps()));
        Optional<RateLimit> rateLimit = checks.check(() -> RateLimit.parse(spec.rateLimit()));
        checks.throwIfAny();
        return new New(name, user, createdBy, expiresAt, limits, allowedIps, rateLimit);
    }

    /** {@code expiresAt} null: never. */
    record New(
            String name,
            Optional<String> user,
            String createdBy,
            Instant expiresAt,
            String limits,
            IpAllowList allowedIps,
            Optional<RateLimit> rateLimit) {}

    /** The edited fields that need no token to check; each problem is kept in {@code checks}. */
    static Edited checked(TokenEdit edit, FieldChecks checks) {
        return new Edited(
                or(checks.check(() -> edit.name().map(TokenFields::name))),
                or(checks.check(() -> edit.limits().map(TokenFields::limits))),
                or(checks.check(() -> edit.allowedIps().map(IpAllowList::parse))),
                or(checks.check(() -> edit.rateLimit().map(RateLimit::parse))));
    }

    /** A field that failed its check (null) is left as it was, for the edit is refused anyway. */
    private static <T> Optional<T> or(Optional<T> checked) {
        return checked == null ? Optional.empty() : checked;
    }

    record Edited(
            Optional<String> name,
            Optional<String> limits,
            Optional<IpAllowList> allowedIps,
            Optional<Optional<RateLimit>> rateLimit) {}

    /**
     * The expiry asked for, checked: in the future, and within the lifetime cap counted from
     * {@code createdAt} (now, for a new token). Null for a token that never expires.
     */
    static Instant expiry(Expiry expiry, Instant now, Instant createdAt, TokenPolicy policy) {
        String field = expiry instanceof Expiry.InDays ? "daysUntilExpiry" : "expiresAt";
        Instant at = expiry.resolve(now);
        if (at != null && !at.isAfter(now)) {
            throw new InvalidTokenSpecException(field, "expiry " + at + " is not in the future (now: " + now + ")");
        }
        int maxDays = policy.maxLifetimeDays();
        if (maxDays > 0) {
            Instant latest = createdAt.plus(Duration.ofDays(maxDays));
            String since = createdAt.equals(now) ? "" : " for a token created " + createdAt;
            if (at == null) {
                throw new InvalidTokenSpecException(
                        field,
                        "a token that never expires is not allowed: token.max.lifetime.days = " + maxDays
                                + " limits tokens to " + maxDays + " days (latest expiry" + since + ": " + latest
                                + ")");
            }
            if (at.isAfter(latest)) {
                throw new InvalidTokenSpecException(
                        field,
                        "expiry " + at + " is beyond the " + maxDays
                                + "-day limit set by token.max.lifetime.days (latest expiry" + since + ": "
                                + latest + ")");
            }
        }
        return at;
    }

    /** The text as saved, once it is known to hold no secret and to parse. */
    static String limits(String text) {
        refuseSecret("limits", text);
        LimitsParser.parse(text);
        return text;
    }

    static String name(String name) {
        return text("name", name, MAX_NAME_LENGTH);
    }

    /** A bound user: also never a {@code :}, which would end the user name in Basic credentials. */
    static String user(String user) {
        String checked = text("user", user, MAX_USER_LENGTH);
        if (checked.indexOf(':') >= 0) {
            throw new InvalidTokenSpecException(
                    "user", "'" + checked + "' contains ':', which a Basic user name cannot contain");
        }
        return checked;
    }

    static String createdBy(String createdBy) {
        return text("createdBy", createdBy, MAX_USER_LENGTH);
    }

    private static String text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidTokenSpecException(field, "must not be blank");
        }
        String stripped = value.strip();
        if (stripped.length() > maxLength) {
            throw new InvalidTokenSpecException(
                    field, "is " + stripped.length() + " characters long (at most " + maxLength + ")");
        }
        Optional<String> unseen = Unseen.find(stripped);
        if (unseen.isPresent()) {
            throw new InvalidTokenSpecException(field, "contains " + unseen.get());
        }
        refuseSecret(field, stripped);
        return stripped;
    }

    /** Text that is shown in lists and on token pages, and may reach the audit log, holds no secret. */
    private static void refuseSecret(String field, String text) {
        if (SecretScanner.containsSecret(text)) {
            throw new InvalidTokenSpecException(field, SecretScanner.REFUSED);
        }
    }
}
