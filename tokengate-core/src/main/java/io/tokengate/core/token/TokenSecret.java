package io.tokengate.core.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A token secret: {@code tgk_}, 32 random base62 characters, then 6 base62 characters of the CRC32
 * of the random part. The prefix lets secret scanners recognise a leaked token; the checksum lets
 * anyone reject a look-alike offline, without a database round trip.
 *
 * <p>The value is only reachable through {@link #reveal()}; {@link #toString()} never prints it.
 */
public final class TokenSecret {
    public static final String PREFIX = "tgk_";
    static final int RANDOM_LENGTH = 32;
    static final int CHECKSUM_LENGTH = 6;
    public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;

    private final String value;

    private TokenSecret(String value) {
        this.value = value;
    }

    /** A fresh secret with about 190 bits of randomness. */
    public static TokenSecret generate(SecureRandom random) {
        String body = Base62.random(random, RANDOM_LENGTH);
        return new TokenSecret(PREFIX + body + checksum(body));
    }

    /**
     * The secret in {@code candidate} if it has the token format and a valid checksum; empty for
     * anything else, including {@code null}. Never throws.
     */
    public static Optional<TokenSecret> parse(CharSequence candidate) {
        return isWellFormed(candidate) ? Optional.of(new TokenSecret(candidate.toString())) : Optional.empty();
    }

    /** Whether {@code candidate} has the token format and its checksum matches. */
    public static boolean isWellFormed(CharSequence candidate) {
        if (!hasFormat(candidate)) {
            return false;
        }
        String body = candidate
                .subSequence(PREFIX.length(), PREFIX.length() + RANDOM_LENGTH)
                .toString();
        String expected = checksum(body);
        String actual =
                candidate.subSequence(PREFIX.length() + RANDOM_LENGTH, LENGTH).toString();
        return expected.equals(actual);
    }

    /**
     * Whether {@code candidate} has the token format, {@code tgk_} and 38 base62 characters, with or
     * without a valid checksum: a secret, or one mistyped. Never throws.
     */
    public static boolean hasFormat(CharSequence candidate) {
        if (candidate == null || candidate.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < PREFIX.length(); i++) {
            if (candidate.charAt(i) != PREFIX.charAt(i)) {
                return false;
            }
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (!Base62.isDigit(candidate.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return Base62.encode(crc.getValue(), CHECKSUM_LENGTH);
    }

    /** The secret itself, for the one place that must show or hash it. */
    public String reveal() {
        return value;
    }

    /** A hint safe to show and log: the prefix and the last four characters. */
    public String hint() {
        return PREFIX + "…" + value.substring(LENGTH - 4);
    }

    /** Constant-time comparison, so that equality checks leak nothing through timing. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TokenSecret that
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.US_ASCII), that.value.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public int hashCode() {
        return 0; // a hash of the secret would be a partial leak; secrets are never map keys
    }

    @Override
    public String toString() {
        return "TokenSecret[redacted]";
    }
}
