package io.tokengate.store;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditSink;
import io.tokengate.core.audit.AuditSlot;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class AuditWriter implements AuditSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    private static final long IDLE_POLL_MILLIS = 100;
    private static final long CLOSING_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** How long a stop waits for the writer to finish the file of what the database did not take. */
    private static final Duration SPILL_WAIT = Duration.ofSeconds(10);

    private final Consumer<List<AuditEvent>> insert;
    private final int capacity;
    private final int batchSize;
    private final long maxQueuedBytes;
    /** Estimated memory held by submitted records not yet written. */
    private final AtomicLong queuedBytes = new AtomicLong();

    private final long flushNanos;
    private final Duration closeTimeout;
    private final Semaphore room;
    private final ConcurrentLinkedQueue<AuditEvent> queue = new ConcurrentLinkedQueue<>();
    /** Records in {@link #queue}: a size that, unlike the queue's, costs nothing to read. */
    private final AtomicInteger inQueue = new AtomicInteger();

    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong spilled = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private final RefusalSummary refusals = new RefusalSummary();
    private final String nodeId;
    private final AuditLeftovers leftovers;
    private final Thread thread;
    private volatile boolean closing;
    private volatile long giveUpAt;
    private volatile String lastFailure;
    /** Whether the last attempt to write a batch failed for want of the database: records wait. */
    private volatile boolean failing;
    /** Whether the writer is writing the file of what the database did not take. */
    private volatile boolean spilling;
    /** The batch being written, for {@link #close()} to log when the writer does not come back. */
    private volatile List<AuditEvent> inFlight = List.of();

    AuditWriter(
            Consumer<List<AuditEvent>> insert,
            int capacity,
            int batchSize,
            Duration flushInterval,
            Duration closeTimeout,
            String nodeId,
            long maxQueuedBytes,
            Spill spill) {
        this.insert = Objects.requireNonNull(insert, "insert");
        this.capacity = capacity;
        this.batchSize = batchSize;
        this.maxQueuedBytes = maxQueuedBytes;
        this.flushNanos = flushInterval.toNanos();
        this.closeTimeout = closeTimeout;
        this.room = new Semaphore(capacity);
        this.nodeId = nodeId;
        this.leftovers = new AuditLeftovers(Objects.requireNonNull(spill, "spill"));
        this.thread = new Thread(this::run, "tokengate-audit-writer-" + nodeId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public Optional<AuditSlot> reserve(Duration maxWait) {
        // Counted before the closing check: the writer stops only when it sees no outstanding slot
        // after closing began, so a slot handed out here is always drained.
        outstanding.incrementAndGet();
        boolean acquired = false;
        boolean reserved = false;
        long waitNanos = Math.max(0, maxWait.toNanos());
        long deadline = System.nanoTime() + waitNanos;
        try {
            acquired = !closing && room.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
            reserved = acquired && (queuedBytes.get() < maxQueuedBytes || awaitMemory(deadline));
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

    /** Waits until the records waiting hold less than the memory bound; false at the deadline. */
    private boolean awaitMemory(long deadline) throws InterruptedException {
        lock.lock();
        try {
            while (queuedBytes.get() >= maxQueuedBytes) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closing) {
                    return false;
                }
                progress.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS)), TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
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
                        closing
                                ? "the audit log is shutting down"
                                : "the audit queue has been full for " + RECORD_TIMEOUT.toSeconds() + " s (" + queued()
                                        + " records, about " + queuedBytes() / (1024 * 1024)
                                        + " MiB, wait for the database): " + lastFailure));
        slot.submit(event);
    }

    @Override
    public void refused(AuditEvent event) {
        refusals.add(Objects.requireNonNull(event, "event"));
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
                LockSupport.unpark(thread);
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

    private void run() {
        List<AuditEvent> batch = new ArrayList<>(batchSize);
        try {
            while (true) {
                int waiting = inQueue.get();
                if (waiting < batchSize && !(closing && waiting > 0)) {
                    // Until a batch is full or a flush interval has passed; at close, until the
                    // reserved slots are submitted.
                    LockSupport.parkNanos(this, closing ? CLOSING_POLL_NANOS : flushNanos);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                take(batch);
                if (batch.isEmpty()) {
                    if (!refusals.isEmpty() && room.tryAcquire()) {
                        room.release(1 - queueRefusals(1));
                        continue;
                    }
                    if (closing
                            && ((outstanding.get() == 0 && refusals.isEmpty()) || System.nanoTime() - giveUpAt > 0)) {
                        break;
                    }
                    continue;
                }
                write(batch);
                // The room of a written batch goes to the summaries of refused requests first.
                room.release(batch.size() - queueRefusals(batch.size()));
                queuedBytes.addAndGet(-batchBytes(batch));
                batch.clear();
                signalProgress();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            keepWhatIsLeft(new ArrayList<>(batch));
            signalProgress();
        }
    }

    private String failureSoFar() {
        String failure = lastFailure;
        return failure != null ? failure : "no answer to the first attempt yet";
    }

    /**
     * At a stop: keeps {@code left} and whatever is still queued elsewhere, and says how many
     * requests still held a place without a record (theirs are lost).
     */
    private void keepWhatIsLeft(List<AuditEvent> left) {
        for (AuditEvent event; (event = queue.poll()) != null; ) {
            left.add(event);
        }
        // The summaries of requests refused for want of room are records too.
        for (Optional<AuditEvent> summary; (summary = refusals.next(nodeId)).isPresent(); ) {
            left.add(summary.get());
        }
        if (!left.isEmpty()) {
            keepElsewhere(left);
        }
        int unsubmitted = outstanding.get();
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
        spilling = Thread.currentThread() == thread;
        try {
            boolean kept = leftovers.keep(left, failureSoFar());
            (kept ? spilled : dropped).addAndGet(left.size());
        } finally {
            spilling = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long batchBytes(List<AuditEvent> batch) {
        long bytes = 0;
        for (AuditEvent event : batch) {
            bytes += estimatedBytes(event);
        }
        return bytes;
    }

    /** Moves up to a batch of queued records into {@code batch}. */
    private void take(List<AuditEvent> batch) {
        AuditEvent next;
        while (batch.size() < batchSize && (next = queue.poll()) != null) {
            batch.add(next);
        }
        inQueue.addAndGet(-batch.size());
    }

    /** Writes the batch, retrying while the database is unavailable; returns when it is settled. */
    private void write(List<AuditEvent> batch) throws InterruptedException {
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
                insert.accept(batch);
                written.addAndGet(batch.size());
                failing = false;
                if (backoff != MIN_BACKOFF) {
                    LOG.info("audit writer recovered: the database accepts records again");
                }
                return;
            } catch (StoreUnavailableException e) {
                lastFailure = e.getMessage();
                failing = true;
                if (writeFailures.getAndIncrement() % 20 == 0) {
                    LOG.warn(
                            "cannot write audit records, keeping {} queued and retrying: {}", queued(), e.getMessage());
                }
                if (closing && System.nanoTime() - giveUpAt > 0) {
                    throw new InterruptedException("gave up at close");
                }
                // Closing: wake at the give-up time, not a whole backoff after it.
                pause(closing ? min(backoff, Duration.ofNanos(Math.max(0, giveUpAt - System.nanoTime()))) : backoff);
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

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void pause(Duration duration) throws InterruptedException {
        lock.lock();
        try {
            progress.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    private void signalProgress() {
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every record submitted before this call is written (or kept or dropped at close), at most {@code
     * timeout}.
     *
     * @return whether they were
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = submitted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (written.get() + dropped.get() + spilled.get() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !thread.isAlive()) {
                    return false;
                }
                progress.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS)), TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
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
     * Whether records cannot be written now (the database refuses them for a while: down, disk
     * full): they wait in the queue, which the last write attempt failed to empty.
     */
    public boolean failing() {
        return failing;
    }

    /** Whether a reservation would have to wait: the count or the memory bound is reached. */
    public boolean full() {
        return room.availablePermits() == 0 || queuedBytes.get() >= maxQueuedBytes;
    }

    /** Estimated memory held by records submitted and not yet written. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** Records reserved or queued and not yet written: the queue depth for metrics. */
    public int queued() {
        return capacity - room.availablePermits();
    }

    public int capacity() {
        return capacity;
    }

    /** Records written since start. */
    public long written() {
        return written.get();
    }

    /**
     * Records that could not be written at all: refused by the database, or left at close and not
     * kept by the spill either.
     */
    public long dropped() {
        return dropped.get();
    }

    /** Records left at close that the spill kept, for the next start to write. */
    public long spilled() {
        return spilled.get();
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
        return writeFailures.get();
    }

    /** Slots closed without a record. */
    public long abandoned() {
        return abandoned.get();
    }

    /**
     * Stops taking reservations, waits for reserved slots and writes everything queued, for at most
     * the close timeout.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        giveUpAt = System.nanoTime() + closeTimeout.toNanos();
        closing = true;
        signalProgress();
        LockSupport.unpark(thread);
        try {
            thread.join(closeTimeout.toMillis() + 2000);
            // Not while it writes its file: an interrupted thread's file channel closes itself.
            if (thread.isAlive() && !spilling) {
                thread.interrupt();
            }
            thread.join(2000);
            if (thread.isAlive() && spilling) {
                thread.join(SPILL_WAIT.toMillis()); // forcing a file to disk may take a while
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive() && !spilling) {
            keepForAStuckWriter();
        }
    }

    /**
     * The writer is stuck in a database call that ignores interrupts (a host that stopped answering
     * holds a socket read for its timeout) and the process is about to end: what is queued behind
     * it is kept here. The batch it holds may yet be written or not; it is logged in full.
     */
    private void keepForAStuckWriter() {
        keepWhatIsLeft(new ArrayList<>());
        AuditLeftovers.logInFlight(inFlight);
    }

    @Override
    public String toString() {
        return "AuditWriter[queued=" + queued() + "/" + capacity + ", written=" + written() + "]";
    }
}
