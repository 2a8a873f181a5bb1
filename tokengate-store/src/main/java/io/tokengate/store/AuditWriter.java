package io.tokengate.store;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditSink;
import io.tokengate.core.audit.AuditSlot;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The audit log's writer: a bounded queue drained by one thread that inserts records in batches
 * (one transaction per batch of up to {@code batchSize} records, or whatever arrived within one
 * {@code flushInterval}). Capacity is counted from reservation until the record is committed, so
 * memory stays bounded and nothing is ever dropped for lack of room: {@link #reserve(Duration)}
 * fails instead, and the gateway answers 503. The requests so refused are {@linkplain #refused
 * counted} instead, and the writer queues their summary ({@link RefusalSummary}) as soon as it has
 * room for one more record.
 *
 * <p>Room is also bounded in memory: while the records waiting hold more than {@code
 * maxQueuedBytes} (estimated from their text; {@link Store} gives a quarter of the heap),
 * reservations wait and fail as when the queue is full. The count alone would not do: a long
 * database outage fills the queue with whatever requests arrive, and records of maximal URLs are
 * some forty times the size of typical ones.
 *
 * <p>Submitting a record never wakes the writer, except the one that fills a batch: the writer
 * sleeps for a flush interval at a time and takes what has arrived. On a small machine a thread
 * woken per request costs more than the insert it performs.
 *
 * <p>While the database is down the writer retries with backoff (up to 5 s apart) and keeps every
 * record; reservations fail once the queue is full, and succeed again as soon as the backlog is
 * written. {@link #close()} refuses new reservations, waits for reserved slots to be submitted and
 * writes everything. After the close timeout it gives up on the database and hands what is left to
 * {@link AuditLeftovers}: its {@link Spill} (a file the next start writes to the audit log); only
 * when that fails too are records lost, each then logged in full.
 *
 * <p>On a crash, what is lost is what was not yet committed: the records of at most one flush
 * interval plus the batch being written, or the whole backlog while the database is down.
 *
 * <p>This class is the face and the thread's life (start, close); the work is in package-private
 * parts: {@link AuditQueue} (room, memory bound, slots: the request path), {@link AuditWriterLoop}
 * (the thread's batching loop and what it keeps at its stop), {@link AuditBatchWriter} (one batch
 * into the database, with retries), {@link AuditProgress} (what flushes and reservations wait on)
 * and {@link AuditLeftovers} (the spill, or the log).
 */
public final class AuditWriter implements AuditSink, AutoCloseable {
    private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(5);
    /** How long a stop waits for the writer to finish the file of what the database did not take. */
    private static final Duration SPILL_WAIT = Duration.ofSeconds(10);

    private final Duration closeTimeout;
    private final AuditProgress progress = new AuditProgress();
    private final AuditQueue queue;
    private final AuditBatchWriter batches;
    private final AuditWriterLoop loop;
    private final Thread thread;

    AuditWriter(
            Consumer<List<AuditEvent>> insert,
            int capacity,
            int batchSize,
            Duration flushInterval,
            Duration closeTimeout,
            String nodeId,
            long maxQueuedBytes,
            Spill spill) {
        this.closeTimeout = closeTimeout;
        this.thread = new Thread(this::run, "tokengate-audit-writer-" + nodeId);
        this.thread.setDaemon(true);
        this.queue = new AuditQueue(capacity, batchSize, maxQueuedBytes, nodeId, thread, progress);
        this.batches = new AuditBatchWriter(Objects.requireNonNull(insert, "insert"), queue, progress);
        this.loop = new AuditWriterLoop(
                queue,
                batches,
                new AuditLeftovers(Objects.requireNonNull(spill, "spill")),
                progress,
                batchSize,
                flushInterval.toNanos(),
                thread);
    }

    void start() {
        thread.start();
    }

    /** The thread's body: the loop is made after the thread, which its queue wakes. */
    private void run() {
        loop.run();
    }

    @Override
    public Optional<AuditSlot> reserve(Duration maxWait) {
        return queue.reserve(maxWait);
    }

    /**
     * Queues an admin action's record, waiting up to 5 s for room.
     *
     * @throws StoreUnavailableException when the queue stayed full (the database is down) or the
     *     writer is closing
     */
    @Override
    public void record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        AuditSlot slot = reserve(RECORD_TIMEOUT)
                .orElseThrow(() -> new StoreUnavailableException(
                        queue.closing()
                                ? "the audit log is shutting down"
                                : "the audit queue has been full for " + RECORD_TIMEOUT.toSeconds() + " s (" + queued()
                                        + " records, about " + queuedBytes() / (1024 * 1024)
                                        + " MiB, wait for the database): " + batches.lastFailure()));
        slot.submit(event);
    }

    @Override
    public void refused(AuditEvent event) {
        queue.refused(Objects.requireNonNull(event, "event"));
    }

    /**
     * Waits until every record submitted before this call is written (or kept or dropped at close), at most {@code
     * timeout}.
     *
     * @return whether they were
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = queue.submitted();
        return progress.awaitUntil(
                () -> settled() >= target, () -> !thread.isAlive(), System.nanoTime() + timeout.toNanos());
    }

    /** Records written, dropped or kept in a file: no longer the writer's. */
    private long settled() {
        return batches.written() + batches.dropped() + loop.lost() + loop.spilled();
    }

    /** Wakes the writer rather than waiting out its flush interval; see {@link AuditSink#awaitWritten}. */
    @Override
    public boolean awaitWritten(Duration timeout) {
        LockSupport.unpark(thread);
        try {
            return flush(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The database answers again after an outage: the writer, paused between tries (up to 5 s
     * apart by then), tries at once, so that the records kept meanwhile are written, and the node
     * is ready, without waiting out that pause.
     */
    void databaseBack() {
        progress.signal();
    }

    /**
     * Whether records cannot be written now: the database refuses them for a while (down, disk
     * full), so they wait in the queue, which the last write attempt failed to empty; or the
     * attempt under way has had no answer for a while ({@link #stalled()}).
     */
    public boolean failing() {
        return batches.failing() || batches.stalled();
    }

    /**
     * Whether the write under way has had no answer for longer than {@value
     * AuditBatchWriter#STALLED_SECONDS} s: a database that fell silent holds it for the driver's
     * socket timeout. Nothing is lost: the batch is written when the answer comes, or retried.
     */
    public boolean stalled() {
        return batches.stalled();
    }

    /** Whether a reservation would have to wait: the count or the memory bound is reached. */
    public boolean full() {
        return queue.full();
    }

    /** Estimated memory held by records submitted and not yet written. */
    public long queuedBytes() {
        return queue.queuedBytes();
    }

    public long maxQueuedBytes() {
        return queue.maxQueuedBytes();
    }

    /** Records reserved or queued and not yet written: the queue depth for metrics. */
    public int queued() {
        return queue.queued();
    }

    public int capacity() {
        return queue.capacity();
    }

    /** Records written since start. */
    public long written() {
        return batches.written();
    }

    /**
     * Records that could not be written at all: refused by the database, or left at close and not
     * kept by the spill either.
     */
    public long dropped() {
        return batches.dropped() + loop.lost();
    }

    /** Records left at close that the spill kept, for the next start to write. */
    public long spilled() {
        return loop.spilled();
    }

    /** Where records go that the database has not taken when the writer stops. */
    @FunctionalInterface
    interface Spill {
        /**
         * Keeps {@code records} where the next start finds them.
         *
         * @return where they are, for the log
         */
        Object keep(List<AuditEvent> records) throws IOException;
    }

    /** Failed write attempts (each retried) since start. */
    public long writeFailures() {
        return batches.writeFailures();
    }

    /** Slots closed without a record. */
    public long abandoned() {
        return queue.abandoned();
    }

    /**
     * Stops taking reservations, waits for reserved slots and writes everything queued, for at most
     * the close timeout.
     */
    @Override
    public void close() {
        if (queue.closing()) {
            return;
        }
        batches.giveUpAt(System.nanoTime() + closeTimeout.toNanos());
        queue.close();
        progress.signal();
        LockSupport.unpark(thread);
        try {
            thread.join(closeTimeout.toMillis() + 2000);
            // Not while it writes its file: an interrupted thread's file channel closes itself.
            if (thread.isAlive() && !loop.spilling()) {
                thread.interrupt();
            }
            thread.join(2000);
            if (thread.isAlive() && loop.spilling()) {
                thread.join(SPILL_WAIT.toMillis()); // forcing a file to disk may take a while
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive() && !loop.spilling()) {
            // Stuck in a database call that ignores interrupts, and the process is about to end.
            loop.keepForAStuckWriter();
        }
    }

    @Override
    public String toString() {
        return "AuditWriter[queued=" + queued() + "/" + capacity() + ", written=" + written() + "]";
    }
}
