package io.tokengate.core.token;

import io.tokengate.core.request.Quote;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The public, opaque identifier of a token: {@code tok_} and 16 base62 characters. It names a
 * token in URLs, the audit log and the admin plane; it is not a credential and grants nothing.
 */
public record TokenId(String value) {
    public static final String PREFIX = "tok_";
    static final int RANDOM_LENGTH = 16;
    public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH;

    public TokenId {
        Objects.requireNonNull(value, "value");
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("invalid token id '" + quote(value) + "' (expected '" + PREFIX + "' and "
                    + RANDOM_LENGTH + " letters or digits)");
        }
    }

    /** A fresh id with about 95 bits of randomness. */
    public static TokenId generate(SecureRandom random) {
        return new TokenId(PREFIX + Base62.random(random, RANDOM_LENGTH));
    }

    /** Whether {@code candidate} has the token id format. Never throws. */
    public static boolean isWellFormed(CharSequence candidate) {
        if (candidate == null
                || candidate.length() != LENGTH
                || !candidate.subSequence(0, PREFIX.length()).toString().equals(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (!Base62.isDigit(candidate.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Text given where a token id belongs, as an error message may echo it: quoted by {@link
     * Quote#shorten}, and cut before {@code tgk_}. A secret pasted for an id is a common slip, and
     * the message may reach the audit log; a mistyped one would not be recognised there.
     */
    public static String quote(String text) {
        int secret = text.indexOf(TokenSecret.PREFIX);
        return secret < 0 ? Quote.shorten(text) : Quote.shorten(text.substring(0, secret)) + TokenSecret.PREFIX + "…";
    }

    @Override
    public String toString() {
        return value;
    }
}
