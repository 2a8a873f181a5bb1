package io.tokengate.store;

import io.tokengate.core.audit.AuditEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch of audit records at a time to the database and settles it: written, or, for a
 * record the database refuses (it answers, but not with a commit), that one record dropped and
 * logged in full while the others of its batch are written.
 *
 * <p>While the database is unavailable ({@link StoreUnavailableException}) it retries with backoff
 * ({@value #MIN_BACKOFF_MILLIS} ms doubling up to 5 s), keeping the batch. Once a close has set
 * a {@linkplain #giveUpAt give-up time} it waits no longer than that, and past it gives the batch
 * back by throwing {@link InterruptedException}, for the writer to keep it elsewhere.
 *
 * <p>Called by the writer thread only; its state is read by others for metrics, messages and a
 * writer stuck in a database call ({@link #inFlight()}).
 */
final class AuditBatchWriter {
    /** The writer's: log settings that name it keep covering these messages. */
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final Duration MIN_BACKOFF = Duration.ofMillis(MIN_BACKOFF_MILLIS);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /**
     * How long (s) one attempt to write a batch may go unanswered before the writer counts as {@link
     * #stalled()}. A batch takes milliseconds; a database that took the statement and then fell
     * silent (a network cut without a reset) holds it for the driver's socket timeout, 60 s, and
     * meanwhile nothing is written, though no attempt has failed.
     */
    static final long STALLED_SECONDS = 5;

    private static final Duration STALLED_AFTER = Duration.ofSeconds(STALLED_SECONDS);

    private final Consumer<List<AuditEvent>> insert;
    private final AuditQueue queue;
    private final AuditProgress progress;

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    /**
     * Failed writes since the database last took a batch: the first of each outage is logged, then
     * every 20th. Counted per outage, not over the process's life, so that a second outage is not
     * left unlogged because the first ended between two logged failures. The writer thread's own.
     */
    private long failuresThisOutage;

    private volatile String lastFailure;
    /** Whether the last attempt to write a batch failed for want of the database: records wait. */
    private volatile boolean failing;
    /** The batch being written, for a close to log when the writer does not come back. */
    private volatile List<AuditEvent> inFlight = List.of();
    /** Whether an attempt to write is under way, since {@link #attemptStarted} (a nanoTime). */
    private volatile boolean attempting;

    private volatile long attemptStarted;

    private volatile boolean givingUp;
    private volatile long giveUpAt;

    /**
     * @param queue only for the count of records waiting, which the retry messages name
     * @param progress paused on between retries, so that a close wakes the writer at once
     */
    AuditBatchWriter(Consumer<List<AuditEvent>> insert, AuditQueue queue, AuditProgress progress) {
        this.insert = insert;
        this.queue = queue;
        this.progress = progress;
    }

    /**
     * Retries for the database no longer than until {@code nanoTime} (a {@link System#nanoTime()}).
     * Set once, by a close.
     */
    void giveUpAt(long nanoTime) {
        giveUpAt = nanoTime;
        givingUp = true;
    }

    /** Whether a close set a give-up time and it has passed. */
    boolean pastGiveUp() {
        return givingUp && System.nanoTime() - giveUpAt > 0;
    }

    /**
     * Writes the batch, retrying while the database is unavailable; returns when it is settled.
     *
     * @throws InterruptedException when interrupted, or when the give-up time passed with the
     *     batch unwritten: the caller still holds it
     */
    void write(List<AuditEvent> batch) throws InterruptedException {
        inFlight = List.copyOf(batch);
        try {
            writeHeld(batch);
        } finally {
            inFlight = List.of();
        }
    }

    private void writeHeld(List<AuditEvent> batch) throws InterruptedException {
        Duration backoff = MIN_BACKOFF;
        while (true) {
            try {
                attempt(batch);
                written.addAndGet(batch.size());
                failing = false;
                failuresThisOutage = 0;
                if (backoff != MIN_BACKOFF) {
                    LOG.info("audit writer recovered: the database accepts records again");
                }
                return;
            } catch (StoreUnavailableException e) {
                lastFailure = e.getMessage();
                failing = true;
                writeFailures.incrementAndGet();
                if (failuresThisOutage++ % 20 == 0) {
                    LOG.warn(
                            "cannot write audit records, keeping {} queued and retrying: {}",
                            queue.queued(),
                            e.getMessage());
                }
                if (givingUp && System.nanoTime() - giveUpAt > 0) {
                    throw new InterruptedException("gave up at close");
                }
                // Closing: wake at the give-up time, not a whole backoff after it.
                progress.pause(
                        givingUp ? min(backoff, Duration.ofNanos(Math.max(0, giveUpAt - System.nanoTime()))) : backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                writeFailures.incrementAndGet();
                lastFailure = e.getMessage();
                failing = false; // the database answers: it refuses a record, which is found and dropped
                if (batch.size() > 1) {
                    for (AuditEvent one : batch) { // find the record the database refuses; keep the others
                        writeHeld(List.of(one));
                    }
                } else {
                    dropped.incrementAndGet();
                    LOG.error("the database refuses an audit record, which is dropped: {} ({})", batch, e.getMessage());
                }
                return;
            }
        }
    }

    /** One attempt to insert {@code batch}, which {@link #stalled()} watches. */
    private void attempt(List<AuditEvent> batch) {
        attemptStarted = System.nanoTime();
        attempting = true; // after the start: a reader that sees it sees the start
        try {
            insert.accept(batch);
        } finally {
            attempting = false;
        }
    }

    /**
     * Whether an attempt to write has gone unanswered for longer than {@value #STALLED_SECONDS} s:
     * records are not being written, though none has failed yet.
     */
    boolean stalled() {
        return attempting && System.nanoTime() - attemptStarted > STALLED_AFTER.toNanos();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The batch being written; empty between batches. */
    List<AuditEvent> inFlight() {
        return inFlight;
    }

    /** Why the last attempt failed; null before any failed. */
    String lastFailure() {
        return lastFailure;
    }

    /** {@link #lastFailure()}, or that no attempt has been answered yet. */
    String failureSoFar() {
        String failure = lastFailure;
        return failure != null ? failure : "no answer to the first attempt yet";
    }

    /** Whether the last attempt failed for want of the database. */
    boolean failing() {
        return failing;
    }

    long written() {
        return written.get();
    }

    /** Records the database refused, each dropped. */
    long dropped() {
        return dropped.get();
    }

    long writeFailures() {
        return writeFailures.get();
    }
}
