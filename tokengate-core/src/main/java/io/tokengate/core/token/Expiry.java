package io.tokengate.core.token;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * When a new or edited token should expire: {@link #never()}, {@link #at(Instant)} a point in time,
 * or {@link #inDays(int)} days from the moment the change is made.
 */
public sealed interface Expiry {
    /** Longest expiry accepted in days, about a century. */
    int MAX_DAYS = 36_500;

    static Expiry never() {
        return Never.INSTANCE;
    }

    static Expiry at(Instant instant) {
        return new At(instant);
    }

    static Expiry inDays(int days) {
        return new InDays(days);
    }

    /** The instant this expiry names, relative to {@code now}; null for never. */
    Instant resolve(Instant now);

    /** The token never expires (unless the admin policy caps lifetimes). */
    final class Never implements Expiry {
        private static final Never INSTANCE = new Never();

        private Never() {}

        @Override
        public Instant resolve(Instant now) {
            return null;
        }

        @Override
        public String toString() {
            return "never";
        }
    }

    /** The token expires at a fixed instant. */
    record At(Instant instant) implements Expiry {
        public At {
            Objects.requireNonNull(instant, "instant");
        }

        @Override
        public Instant resolve(Instant now) {
            return instant.truncatedTo(ChronoUnit.MICROS);
        }
    }

    /** The token expires {@code days} whole days after the change. */
    record InDays(int days) implements Expiry {
        public InDays {
            if (days < 1 || days > MAX_DAYS) {
                throw new IllegalArgumentException("daysUntilExpiry must be from 1 to " + MAX_DAYS + ", got " + days);
            }
        }

        @Override
        public Instant resolve(Instant now) {
            return now.plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.MICROS);
        }
    }
}
