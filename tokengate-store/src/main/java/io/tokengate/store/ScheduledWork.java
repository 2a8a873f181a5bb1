package io.tokengate.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's periodic work (usage flush, audit upkeep, keeping secure mode), one task at a time on
 * one daemon thread. {@link #stop()} lets a running task finish rather than interrupting it.
 */
final class ScheduledWork {
    /** The store's: log settings that name it keep covering these messages. */
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    private static final Duration GRACE = Duration.ofSeconds(10);

    private final ScheduledExecutorService scheduler;

    ScheduledWork(String nodeId) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tokengate-store-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} first after {@code initialDelay}, then {@code period} after each run ends. */
    void every(Duration initialDelay, Duration period, Runnable task) {
        scheduler.scheduleWithFixedDelay(task, initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} as soon as the thread is free; nothing once stopped. */
    void now(Runnable task) {
        after(Duration.ZERO, task);
    }

    /** Runs {@code task} once after {@code delay}; nothing once stopped. */
    void after(Duration delay, Runnable task) {
        try {
            scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping: the store closes, and what the task would do no longer matters
        }
    }

    /**
     * Lets a running usage flush or retention pass finish instead of interrupting it: an interrupt
     * during an H2 file write closes the database file (NIO closes an interrupted channel), and
     * then the last usage counts and the audit records flushed after it would be lost on a
     * graceful stop. Interrupts only what is still running after {@link #GRACE}.
     */
    void stop() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("background store work still running after {}; interrupting it", GRACE);
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
