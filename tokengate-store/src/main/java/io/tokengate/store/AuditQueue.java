package io.tokengate.store;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditSlot;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit writer's queue: the records between the request path and the writer thread, bounded
 * by a count and by memory, and the back-pressure those bounds mean.
 *
 * <p>Room is counted from {@linkplain #reserve(Duration) reservation} until the writer gives it
 * back with {@link #release(List)} once the record is settled, so at most {@code capacity} records
 * are reserved, queued or being written. While the records waiting hold more than {@code
 * maxQueuedBytes} ({@link #estimatedBytes}), reservations wait and fail as when the count is
 * reached. Nothing is dropped for lack of room: the reservation fails instead, and the requests so
 * refused are {@linkplain #refused counted} and their summary ({@link RefusalSummary}) queued on the
 * first room the writer gives back.
 *
 * <p>This is the request path: a reservation takes no lock unless the memory bound is reached,
 * and a submit wakes the writer only when it fills a batch; otherwise the writer takes what has
 * arrived once per flush interval.
 *
 * <p>After {@link #close()} reservations fail; slots reserved before may still submit, and
 * {@link #drained()} tells when they all have.
 */
final class AuditQueue {
    /** The writer's: log settings that name it keep covering these messages. */
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

    private final int capacity;
    private final int batchSize;
    private final long maxQueuedBytes;
    private final String nodeId;
    /** The thread that takes the records, woken when a batch is full. */
    private final Thread writer;

    private final AuditProgress progress;
    private final Semaphore room;
    /** Estimated memory held by submitted records not yet written. */
    private final AtomicLong queuedBytes = new AtomicLong();

    private final ConcurrentLinkedQueue<AuditEvent> queue = new ConcurrentLinkedQueue<>();
    /** Records in {@link #queue}: a size that, unlike the queue's, costs nothing to read. */
    private final AtomicInteger inQueue = new AtomicInteger();
    /** Slots reserved and neither submitted nor closed. */
    private final AtomicInteger outstanding = new AtomicInteger();

    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final RefusalSummary refusals = new RefusalSummary();
    private volatile boolean closing;

    // Made once: a reservation that waits for memory allocates nothing for its conditions.
    private final BooleanSupplier belowMemoryBound;
    private final BooleanSupplier closed;

    AuditQueue(int capacity, int batchSize, long maxQueuedBytes, String nodeId, Thread writer, AuditProgress progress) {
        this.capacity = capacity;
        this.batchSize = batchSize;
        this.maxQueuedBytes = maxQueuedBytes;
        this.nodeId = nodeId;
        this.writer = writer;
        this.progress = progress;
        this.room = new Semaphore(capacity);
        this.belowMemoryBound = () -> queuedBytes.get() < maxQueuedBytes;
        this.closed = () -> closing;
    }

    /** See {@link io.tokengate.core.audit.AuditSink#reserve(Duration)}. */
    Optional<AuditSlot> reserve(Duration maxWait) {
        // Counted before the closing check: the writer stops only when it sees no outstanding slot
        // after closing began, so a slot handed out here is always drained.
        outstanding.incrementAndGet();
        boolean acquired = false;
        boolean reserved = false;
        long waitNanos = Math.max(0, maxWait.toNanos());
        long deadline = System.nanoTime() + waitNanos;
        try {
            acquired = !closing && room.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
            reserved = acquired
                    && (queuedBytes.get() < maxQueuedBytes || progress.awaitUntil(belowMemoryBound, closed, deadline));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (acquired && !reserved) {
            room.release();
        }
        if (!reserved) {
            outstanding.decrementAndGet();
            return Optional.empty();
        }
        return Optional.of(new Slot());
    }

    /**
     * Estimated heap held by a queued record: the record and its boxes, plus each text field as a
     * string of two-byte characters (an upper bound; most are stored one byte per character).
     */
    static long estimatedBytes(AuditEvent e) {
        return 256
                + text(e.requestId())
                + text(e.node())
                + text(e.tokenName())
                + text(e.basicUser())
                + text(e.effectiveUser())
                + text(e.actor())
                + text(e.clientIp())
                + text(e.method())
                + text(e.path())
                + text(e.query())
                + text(e.reason())
                + text(e.matchedRule());
    }

    private static long text(String s) {
        return s == null ? 0 : 48 + 2L * s.length();
    }

    private static long batchBytes(List<AuditEvent> batch) {
        long bytes = 0;
        for (AuditEvent event : batch) {
            bytes += estimatedBytes(event);
        }
        return bytes;
    }

    /** Counts a request turned away for want of room; see {@link RefusalSummary}. */
    void refused(AuditEvent event) {
        refusals.add(event);
    }

    /** One reserved unit of room; see {@link AuditSlot}. */
    private final class Slot implements AuditSlot {
        private final AtomicBoolean used = new AtomicBoolean();

        @Override
        public void submit(AuditEvent event) {
            Objects.requireNonNull(event, "event");
            if (!used.compareAndSet(false, true)) {
                throw new IllegalStateException("this audit slot was already used");
            }
            queuedBytes.addAndGet(estimatedBytes(event));
            queue.add(event);
            submitted.incrementAndGet();
            outstanding.decrementAndGet();
            if (inQueue.incrementAndGet() == batchSize) {
                LockSupport.unpark(writer);
            }
        }

        @Override
        public void close() {
            if (used.compareAndSet(false, true)) {
                outstanding.decrementAndGet();
                room.release();
                abandoned.incrementAndGet();
                LOG.error("an audit slot was closed without a record: a request may have gone unaudited");
            }
        }

        @Override
        public String toString() {
            return "AuditSlot[" + (used.get() ? "used" : "reserved") + "]";
        }
    }

    /** Records queued and not yet taken by the writer. */
    int waiting() {
        return inQueue.get();
    }

    /** Moves up to a batch of queued records into {@code batch}. */
    void take(List<AuditEvent> batch) {
        AuditEvent next;
        while (batch.size() < batchSize && (next = queue.poll()) != null) {
            batch.add(next);
        }
        inQueue.addAndGet(-batch.size());
    }

    /**
     * Gives back the room of a settled batch, to the summaries of refused requests first, and the
     * memory its records held.
     */
    void release(List<AuditEvent> batch) {
        room.release(batch.size() - queueRefusals(batch.size()));
        queuedBytes.addAndGet(-batchBytes(batch));
    }

    /**
     * With nothing queued: queues a summary of refused requests, if there are any and there is
     * room for one.
     *
     * @return whether it did
     */
    boolean queueRefusalsInSpareRoom() {
        if (!refusals.isEmpty() && room.tryAcquire()) {
            room.release(1 - queueRefusals(1));
            return true;
        }
        return false;
    }

    /**
     * Queues summaries of refused requests on room the writer holds ({@code permits} units);
     * returns how many units it used.
     */
    private int queueRefusals(int permits) {
        int used = 0;
        Optional<AuditEvent> summary;
        while (used < permits && (summary = refusals.next(nodeId)).isPresent()) {
            queuedBytes.addAndGet(estimatedBytes(summary.get()));
            queue.add(summary.get());
            inQueue.incrementAndGet();
            submitted.incrementAndGet();
            used++;
        }
        return used;
    }

    /**
     * At a stop: moves every queued record, and the summaries of requests refused for want of
     * room (records too), into {@code left}.
     */
    void drainTo(List<AuditEvent> left) {
        for (AuditEvent event; (event = queue.poll()) != null; ) {
            left.add(event);
        }
        for (Optional<AuditEvent> summary; (summary = refusals.next(nodeId)).isPresent(); ) {
            left.add(summary.get());
        }
    }

    /** Refuses every reservation from now on. */
    void close() {
        closing = true;
    }

    boolean closing() {
        return closing;
    }

    /** Whether every reserved slot was submitted or closed, and no refused request awaits its summary. */
    boolean drained() {
        return outstanding.get() == 0 && refusals.isEmpty();
    }

    /** Slots reserved and neither submitted nor closed: at a stop, requests whose records are lost. */
    int outstanding() {
        return outstanding.get();
    }

    /** Records submitted since start, summaries included. */
    long submitted() {
        return submitted.get();
    }

    /** Slots closed without a record. */
    long abandoned() {
        return abandoned.get();
    }

    /** Whether a reservation would have to wait: the count or the memory bound is reached. */
    boolean full() {
        return room.availablePermits() == 0 || queuedBytes.get() >= maxQueuedBytes;
    }

    /** Records reserved or queued and not yet written. */
    int queued() {
        return capacity - room.availablePermits();
    }

    int capacity() {
        return capacity;
    }

    long queuedBytes() {
        return queuedBytes.get();
    }

    long maxQueuedBytes() {
        return maxQueuedBytes;
    }
}
