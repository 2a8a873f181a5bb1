package io.tokengate.server.gateway;

import io.tokengate.core.token.TokenId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the data plane holds for JSON conditions, all requests together,
 * bounded by {@code body.inspect.memory}; the requests of one token hold at most half of it.
 *
 * <p>A body read for inspection is held whole, from its first byte until the upstream has it (or,
 * refused, until its exchange ends), and reading it blocks no thread: without a bound, a
 * client with a token whose limits read bodies could open connections that each send a large
 * body and never finish it, until the heap ran out for every request and every audit record at
 * once. With it, such requests get 503 while the bound is reached ({@link Refusals}), and the rest
 * of the gateway goes on; with the share, one token's requests cannot keep every other token's
 * from being read (429 for the token at its share).
 */
public final class InspectionMemory {
    /** What {@link Hold#growTo} found. */
    enum Growth {
        GROWN,
        /** The token's requests hold their share: growing would take them past it. */
        TOKEN_AT_SHARE,
        /** Growing would take all requests together past the bound; or the share was given back. */
        FULL
    }

    private final long capacity;
    private final long tokenShare;
    private final AtomicLong held = new AtomicLong();
    /** Bytes held per token; a token holding nothing has no entry. */
    private final ConcurrentHashMap<TokenId, Long> byToken = new ConcurrentHashMap<>();

    /**
     * @param capacity the most bytes held at once
     * @param largestBody the largest body read: a token's share is half the capacity, but at least
     *     this (and at most the capacity), or no token could send one
     */
    InspectionMemory(long capacity, int largestBody) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.tokenShare = Math.min(capacity, Math.max(capacity / 2, largestBody));
    }

    /** What one request's body will hold for {@code token}: nothing yet. */
    Hold hold(TokenId token) {
        return new Hold(token);
    }

    /** {@code body.inspect.memory}: the most bytes held at once. */
    public long capacity() {
        return capacity;
    }

    /** The most bytes the requests of one token hold at once. */
    long tokenShare() {
        return tokenShare;
    }

    /** Bytes held now, by all requests together. */
    public long held() {
        return held.get();
    }

    /** Bytes held now by the requests of {@code token}. */
    long heldBy(TokenId token) {
        return byToken.getOrDefault(token, 0L);
    }

    /** Takes {@code more} bytes into the token's share; false, taking nothing, past the share. */
    private boolean takeForToken(TokenId token, long more) {
        boolean[] taken = {false};
        byToken.compute(token, (key, bytes) -> {
            long now = bytes == null ? 0 : bytes;
            if (now + more > tokenShare) {
                return bytes;
            }
            taken[0] = true;
            return now + more;
        });
        return taken[0];
    }

    private void giveBackForToken(TokenId token, long bytes) {
        byToken.computeIfPresent(token, (key, now) -> now == bytes ? null : now - bytes);
    }

    private boolean take(long more) {
        long now;
        do {
            now = held.get();
            if (now + more > capacity) {
                return false;
            }
        } while (!held.compareAndSet(now, now + more));
        return true;
    }

    /** One request's share, given back once: when the upstream has the body, or its exchange ends. */
    final class Hold {
        private final TokenId token;
        private long bytes;
        private boolean released;

        private Hold(TokenId token) {
            this.token = token;
        }

        /**
         * Grows this share to at least {@code total} bytes, unless that would take its token's
         * requests past their share or all requests past the bound; holds no more if not, or once
         * the share has been given back.
         */
        synchronized Growth growTo(long total) {
            long more = total - bytes;
            if (released) {
                return Growth.FULL;
            }
            if (more <= 0) {
                return Growth.GROWN;
            }
            if (!takeForToken(token, more)) {
                return Growth.TOKEN_AT_SHARE;
            }
            if (!take(more)) {
                giveBackForToken(token, more);
                return Growth.FULL;
            }
            bytes = total;
            return Growth.GROWN;
        }

        /** Gives the share back; later calls do nothing. */
        synchronized void release() {
            if (!released) {
                released = true;
                if (bytes > 0) {
                    giveBackForToken(token, bytes);
                    held.addAndGet(-bytes);
                }
            }
        }

        @Override
        public synchronized String toString() {
            return bytes + " bytes" + (released ? ", released" : "");
        }
    }
}
