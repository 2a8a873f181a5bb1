package io.tokengate.store;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The audit writer's progress signal, {@linkplain #signal() given} when the writer thread has
 * settled a batch or stopped, and when a close begins; whoever waits for that looks again. A
 * reservation waits here for the memory bound, a flush for its records, and the writer itself
 * between retries, so that a close wakes it at once.
 *
 * <p>{@link #awaitUntil} checks its conditions under the lock the signal takes, so no signal is
 * missed, and looks again at least every {@value #POLL_MILLIS} ms all the same: state changes that
 * are not signalled (a thread that died, a slot that was submitted) end some waits too.
 */
final class AuditProgress {
    private static final long POLL_MILLIS = 100;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();

    /** Wakes every waiter to check its condition again. */
    void signal() {
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code done}, at most until {@code deadline} (a {@link System#nanoTime()}),
     * giving up early once {@code hopeless}.
     *
     * @return whether {@code done} held; false at the deadline or when it became hopeless first
     */
    boolean awaitUntil(BooleanSupplier done, BooleanSupplier hopeless, long deadline) throws InterruptedException {
        lock.lock();
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || hopeless.getAsBoolean()) {
                    return false;
                }
                progress.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for {@code duration} or until the next signal, whichever comes first. */
    void pause(Duration duration) throws InterruptedException {
        lock.lock();
        try {
            progress.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }
}
