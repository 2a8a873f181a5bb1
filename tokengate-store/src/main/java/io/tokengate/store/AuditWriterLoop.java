package io.tokengate.store;

import io.tokengate.core.audit.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the audit writer's thread does: sleeps a flush interval at a time (or until a submit fills a
 * batch), takes up to a batch from the {@link AuditQueue}, has the {@link AuditBatchWriter} settle
 * it, gives its room back and {@linkplain AuditProgress#signal() signals} progress. Spare room goes
 * to the summaries of refused requests.
 *
 * <p>Once the queue is closing it polls every 5 ms instead, and stops when every reserved slot was
 * submitted and everything is written, or when the close's give-up time has passed. What it then
 * still holds, and whatever is queued, goes to {@link AuditLeftovers} (a file, or the log), and is
 * counted as {@linkplain #spilled() spilled} or {@linkplain #lost() lost}.
 */
final class AuditWriterLoop {
    /** The writer's: log settings that name it keep covering these messages. */
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

    private static final long CLOSING_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final AuditQueue queue;
    private final AuditBatchWriter batches;
    private final AuditLeftovers leftovers;
    private final AuditProgress progress;
    private final int batchSize;
    private final long flushNanos;
    /** The thread that runs this loop. */
    private final Thread writer;

    private final AtomicLong spilled = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    /** Whether the writer is writing the file of what the database did not take. */
    private volatile boolean spilling;

    AuditWriterLoop(
            AuditQueue queue,
            AuditBatchWriter batches,
            AuditLeftovers leftovers,
            AuditProgress progress,
            int batchSize,
            long flushNanos,
            Thread writer) {
        this.queue = queue;
        this.batches = batches;
        this.leftovers = leftovers;
        this.progress = progress;
        this.batchSize = batchSize;
        this.flushNanos = flushNanos;
        this.writer = writer;
    }

    /** The writer thread's body; returns when the writer stops. */
    void run() {
        List<AuditEvent> batch = new ArrayList<>(batchSize);
        try {
            while (true) {
                int waiting = queue.waiting();
                if (waiting < batchSize && !(queue.closing() && waiting > 0)) {
                    // Until a batch is full or a flush interval has passed; at close, until the
                    // reserved slots are submitted.
                    LockSupport.parkNanos(this, queue.closing() ? CLOSING_POLL_NANOS : flushNanos);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                queue.take(batch);
                if (batch.isEmpty()) {
                    if (queue.queueRefusalsInSpareRoom()) {
                        continue;
                    }
                    if (queue.closing() && (queue.drained() || batches.pastGiveUp())) {
                        break;
                    }
                    continue;
                }
                batches.write(batch);
                queue.release(batch);
                batch.clear();
                progress.signal();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            keepWhatIsLeft(new ArrayList<>(batch));
            progress.signal();
        }
    }

    /**
     * At a stop: keeps {@code left} and whatever is still queued elsewhere, and says how many
     * requests still held a place without a record (theirs are lost).
     */
    private void keepWhatIsLeft(List<AuditEvent> left) {
        queue.drainTo(left);
        if (!left.isEmpty()) {
            keepElsewhere(left);
        }
        int unsubmitted = queue.outstanding();
        if (unsubmitted > 0) {
            LOG.error(
                    "audit writer stopped with {} requests still holding a place in it: their records are lost",
                    unsubmitted);
        }
    }

    /** Hands the records the database did not take to {@link AuditLeftovers}, and counts them. */
    private void keepElsewhere(List<AuditEvent> left) {
        // The writer stops after an interrupt, and a file channel written by an interrupted
        // thread closes itself; the spill forces its file to disk through one.
        boolean interrupted = Thread.interrupted();
        spilling = Thread.currentThread() == writer;
        try {
            boolean kept = leftovers.keep(left, batches.failureSoFar());
            (kept ? spilled : lost).addAndGet(left.size());
        } finally {
            spilling = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * For a close whose writer is stuck in a database call that ignores interrupts (a host that
     * stopped answering holds a socket read for its timeout) while the process is about to end:
     * keeps what is queued behind it. The batch it holds may yet be written or not; it is logged
     * in full.
     */
    void keepForAStuckWriter() {
        keepWhatIsLeft(new ArrayList<>());
        AuditLeftovers.logInFlight(batches.inFlight());
    }

    /** Whether the writer is writing the file of what the database did not take: not to interrupt. */
    boolean spilling() {
        return spilling;
    }

    /** Records left at the stop that the spill kept, for the next start to write. */
    long spilled() {
        return spilled.get();
    }

    /** Records left at the stop that the spill could not keep either: only in the log. */
    long lost() {
        return lost.get();
    }
}
