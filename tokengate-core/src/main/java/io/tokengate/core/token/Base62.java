package io.tokengate.core.token;

import java.security.SecureRandom;

/** Base62 over {@code 0-9A-Za-z}: the alphabet of token secrets and their checksums. */
final class Base62 {
    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Base62() {}

    static boolean isDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** {@code count} characters, each drawn uniformly from the alphabet. */
    static String random(SecureRandom random, int count) {
        char[] out = new char[count];
        for (int i = 0; i < count; i++) {
            out[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(out);
    }

    /** The non-negative {@code value} in exactly {@code width} digits, left-padded with '0'. */
    static String encode(long value, int width) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value");
        }
        char[] out = new char[width];
        long rest = value;
        for (int i = width - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (rest % 62));
            rest /= 62;
        }
        if (rest != 0) {
            throw new IllegalArgumentException("value does not fit in " + width + " base62 digits");
        }
        return new String(out);
    }
}
