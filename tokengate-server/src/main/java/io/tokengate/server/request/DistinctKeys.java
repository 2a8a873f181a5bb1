package io.tokengate.server.request;

import java.security.SecureRandom;

/**
 * The keys of one JSON object as they are read, to find a duplicate in at most 16 bytes a key
 * (a set of the key strings took over 90): each key is kept as a 61-bit hash, a polynomial in its
 * characters modulo the prime 2<sup>61</sup> − 1 at a point chosen at random when the gateway
 * starts. Two different keys of at most n characters share a hash with probability at most n /
 * 2<sup>61</sup> whatever a client chooses, and then the second is taken for a duplicate: the body
 * matches nothing, as it would with a real one, so a collision can refuse a body, never allow one.
 */
final class DistinctKeys {
    private static final long PRIME = (1L << 61) - 1;
    /** The point the polynomial is evaluated at: secret, so no client can aim for a collision. */
    private static final long POINT = 2 + new SecureRandom().nextLong(PRIME - 3);

    /** The first key's hash, 0 before it: most objects have one key, and need no table. */
    private long first;

    /**
     * Open addressing, linear probing, made at the second key; 0 marks a free slot (a hash of 0 is
     * stored as {@link #PRIME}).
     */
    private long[] slots;

    private int size;

    /** Adds {@code key}; false when a key of the same hash, almost surely the same key, was added before. */
    boolean add(String key) {
        long hash = hash(key);
        if (slots == null) {
            if (first == 0) {
                first = hash;
                return true;
            }
            slots = new long[8];
            slots[slot(first, slots.length - 1)] = first;
            size = 1;
        }
        int mask = slots.length - 1;
        int slot = slot(hash, mask);
        while (slots[slot] != 0) {
            if (slots[slot] == hash) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        slots[slot] = hash;
        if (++size * 2 > slots.length) {
            grow();
        }
        return true;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long hash : old) {
            if (hash != 0) {
                int slot = slot(hash, mask);
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = hash;
            }
        }
    }

    private static int slot(long hash, int mask) {
        return (int) (hash ^ (hash >>> 32)) & mask;
    }

    /**
     * The key's hash, in 1 to {@link #PRIME}: never 0, the free slot's mark. Its characters are taken
     * three to a term of the polynomial, each counted from 1 in its own 17 bits (so that U+0000 counts
     * too, and a term's missing characters differ from any present one): a 51-bit term, below the
     * prime, and a third of the multiplications one character a term took. A key of n characters
     * is a polynomial of degree below n / 3, so the bound above holds with room to spare.
     */
    static long hash(String key) {
        int length = key.length();
        long hash = 0;
        for (int i = 0; i < length; i += 3) {
            long term = key.charAt(i) + 1L;
            if (i + 1 < length) {
                term |= (key.charAt(i + 1) + 1L) << 17;
            }
            if (i + 2 < length) {
                term |= (key.charAt(i + 2) + 1L) << 34;
            }
            hash = reduce(multiply(hash, POINT) + term);
        }
        return hash == 0 ? PRIME : hash;
    }

    /** {@code a × b} modulo {@link #PRIME}, for {@code a} and {@code b} below it. */
    private static long multiply(long a, long b) {
        long low = a * b;
        long high = Math.multiplyHigh(a, b);
        // a × b = high × 2^64 + low, and 2^64 = 2^3 × 2^61 ≡ 2^3.
        return reduce((low & PRIME) + (low >>> 61) + (high << 3));
    }

    /** {@code x} modulo {@link #PRIME}, for {@code x} below 2^63. */
    private static long reduce(long x) {
        long r = (x & PRIME) + (x >>> 61);
        return r >= PRIME ? r - PRIME : r;
    }
}
