package io.tokengate.server.http;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: 20 characters from {@code [0-9a-z]}, about 103 random bits, unique enough to find
 * one request among billions in the audit log. Not a secret.
 */
public final class RequestIds {
    private static final char[] DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private RequestIds() {}

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[20];
        for (int i = 0; i < id.length; i++) {
            id[i] = DIGITS[random.nextInt(DIGITS.length)];
        }
        return new String(id);
    }
}
