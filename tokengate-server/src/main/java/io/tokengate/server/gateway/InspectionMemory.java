package io.tokengate.server.gateway;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the data plane holds for JSON conditions, all requests together,
 * bounded by {@code body.inspect.memory}.
 *
 * <p>A body read for inspection is held whole, from its first byte until its exchange ends
 * (forwarded and answered, or refused), and reading it blocks no thread: without a bound, a
 * client with a token whose limits read bodies could open connections that each send a large
 * body and never finish it, until the heap ran out for every request and every audit record at
 * once. With it, such requests get 503 while the bound is reached ({@link Refusals}), and the rest
 * of the gateway goes on.
 */
public final class InspectionMemory {
    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    InspectionMemory(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** What one request's body will hold: nothing yet. */
    Hold hold() {
        return new Hold();
    }

    /** {@code body.inspect.memory}: the most bytes held at once. */
    public long capacity() {
        return capacity;
    }

    /** Bytes held now, by all requests together. */
    public long held() {
        return held.get();
    }

    /** One request's share, given back once, when its exchange ends. */
    final class Hold {
        private long bytes;
        private boolean released;

        private Hold() {}

        /**
         * Grows this share to at least {@code total} bytes; false, holding no more, if that would
         * take the data plane past its bound, or once the share has been given back.
         */
        synchronized boolean growTo(long total) {
            long more = total - bytes;
            if (released) {
                return false;
            }
            if (more <= 0) {
                return true;
            }
            long now;
            do {
                now = held.get();
                if (now + more > capacity) {
                    return false;
                }
            } while (!held.compareAndSet(now, now + more));
            bytes = total;
            return true;
        }

        /** Gives the share back; later calls do nothing. */
        synchronized void release() {
            if (!released) {
                released = true;
                held.addAndGet(-bytes);
            }
        }

        @Override
        public synchronized String toString() {
            return bytes + " bytes" + (released ? ", released" : "");
        }
    }
}
