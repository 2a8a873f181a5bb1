package io.tokengate.server.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The warning for one passing condition that turns requests away with 503 (no worker free, the
 * store unavailable, the audit log not keeping up), logged at most once per interval. Such a
 * condition refuses every request while it lasts: a line for each would bury the log, and slow
 * the gateway, just when an operator reads it.
 *
 * <p>The first refusal is logged with its request id; those within the interval after it are
 * counted, and the count is logged with the first refusal after the interval.
 */
final class RefusalWarning {
    private final Logger log;
    private final String condition;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextLineAt;
    private final LongAdder unlogged = new LongAdder();

    RefusalWarning(Logger log, String condition, Duration interval, LongSupplier nanoTime) {
        this.log = log;
        this.condition = condition;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.nextLineAt = new AtomicLong(nanoTime.getAsLong());
    }

    /** What the refusals are for, as the audit log and the warning name it. */
    String condition() {
        return condition;
    }

    /** Notes one refused request; logs it, with the count since the last line, if the interval is over. */
    void refused(String requestId, String detail) {
        long now = nanoTime.getAsLong();
        long due = nextLineAt.get();
        if (now - due < 0 || !nextLineAt.compareAndSet(due, now + intervalNanos)) {
            unlogged.increment();
            return;
        }
        long more = unlogged.sumThenReset();
        if (more == 0) {
            log.warn("{}: refused with 503, {}: {}", requestId, condition, detail);
        } else {
            log.warn(
                    "{}: refused with 503, {}: {} ({} more refused for this since the last warning)",
                    requestId,
                    condition,
                    detail,
                    more);
        }
    }
}
