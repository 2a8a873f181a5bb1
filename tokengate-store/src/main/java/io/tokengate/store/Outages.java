package io.tokengate.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Whether the database is away, so that calls do not queue on it. Without this, every call that
 * needs a connection while the database is away waits the pool's whole connection timeout before
 * it fails: during an outage each request holds a server thread for seconds, the threads run out,
 * and requests that need no database (a cached token, a health check) wait behind them.
 *
 * <p>An outage begins when a caller got no connection because the database refused or did not
 * answer one (not when the pool's connections were all busy); it ends when a caller gets one.
 * Meanwhile callers are turned away at once, except one at a time, at most one a {@link
 * #RETRY_SPACING}, which tries the database again (and waits the connection timeout if it is
 * still away).
 */
final class Outages {
    /** How long after a try ends the next caller may try the database again. */
    static final Duration RETRY_SPACING = Duration.ofSeconds(1);

    /** An outage under way. */
    static final class Outage {
        private final Instant since;
        private volatile String reason;
        /** When the next try may start, in {@link #nanoTime} units; {@link Long#MAX_VALUE} during a try. */
        private final AtomicLong nextTry;

        private Outage(Instant since, String reason, long nextTry) {
            this.since = since;
            this.reason = reason;
            this.nextTry = new AtomicLong(nextTry);
        }

        /** When the first call got no connection, to the second. */
        Instant since() {
            return since;
        }

        /** Why the last try got no connection, for humans. */
        String reason() {
            return reason;
        }
    }

    private final Clock clock;
    private final LongSupplier nanoTime;
    private final AtomicReference<Outage> current = new AtomicReference<>();

    Outages(Clock clock, LongSupplier nanoTime) {
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    /** The outage under way, or null while the database answers. */
    Outage current() {
        return current.get();
    }

    /**
     * Whether the caller may try {@code outage}'s database now: true for one caller at a time, once
     * {@link #RETRY_SPACING} has passed since the last try ended. A caller that may try must call
     * {@link #tried} when it has.
     */
    boolean mayTry(Outage outage) {
        long next = outage.nextTry.get();
        return next != Long.MAX_VALUE
                && nanoTime.getAsLong() - next >= 0
                && outage.nextTry.compareAndSet(next, Long.MAX_VALUE);
    }

    /** Ends a try that {@link #mayTry} allowed, whatever it found. */
    void tried(Outage outage) {
        outage.nextTry.set(nanoTime.getAsLong() + RETRY_SPACING.toNanos());
    }

    /**
     * A call got no connection: begins an outage, or updates the reason of the one under way.
     *
     * @return whether this began an outage
     */
    boolean noConnection(String reason) {
        Outage ongoing = current.get();
        if (ongoing != null) {
            ongoing.reason = reason;
            return false;
        }
        Outage outage = new Outage(
                clock.instant().truncatedTo(ChronoUnit.SECONDS),
                reason,
                nanoTime.getAsLong() + RETRY_SPACING.toNanos());
        return current.compareAndSet(null, outage);
    }

    /**
     * A call got a connection: ends the outage under way.
     *
     * @return the outage this ended, or null when none was under way
     */
    Outage connected() {
        Outage ongoing = current.get();
        return ongoing != null && current.compareAndSet(ongoing, null) ? ongoing : null;
    }
}
