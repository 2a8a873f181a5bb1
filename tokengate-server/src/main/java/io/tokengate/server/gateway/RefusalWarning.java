package io.tokengate.server.gateway;

import io.tokengate.server.http.RequestIds;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The warning for one passing condition that fails every request while it lasts (503: no worker
 * free, the store unavailable, the audit log not keeping up; 502 and 504: the upstream down or
 * slow), logged at most once per interval. A line for each request would bury the log, and slow
 * the gateway, just when an operator reads it; each request is in the audit log anyway.
 *
 * <p>The first refusal is logged with its request id; those within the interval after it are
 * counted, and the count is logged with the first refusal after the interval.
 */
public final class RefusalWarning {
    /** The shortest time between two lines of one warning. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final int status;
    private final String condition;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextLineAt;
    private final LongAdder unlogged = new LongAdder();

    /** A warning at most every {@link #INTERVAL}. */
    public RefusalWarning(Logger log, int status, String condition) {
        this(log, status, condition, INTERVAL, System::nanoTime);
    }

    RefusalWarning(Logger log, int status, String condition, Duration interval, LongSupplier nanoTime) {
        this.log = log;
        this.status = status;
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
    public void refused(String requestId, String detail) {
        long now = nanoTime.getAsLong();
        long due = nextLineAt.get();
        if (now - due < 0 || !nextLineAt.compareAndSet(due, now + intervalNanos)) {
            unlogged.increment();
            return;
        }
        long more = unlogged.sumThenReset();
        if (more == 0) {
            RequestIds.log(log, Level.WARN, requestId).log("{}: {}, {}: {}", requestId, status, condition, detail);
        } else {
            RequestIds.log(log, Level.WARN, requestId).log(
                    "{}: {}, {}: {} ({} more for this since the last warning)",
                    requestId,
                    status,
                    condition,
                    detail,
                    more);
        }
    }
}
