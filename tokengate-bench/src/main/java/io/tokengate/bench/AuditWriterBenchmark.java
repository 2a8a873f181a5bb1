package io.tokengate.bench;

import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditSlot;
import io.tokengate.core.token.TokenId;
import io.tokengate.store.AuditWriter;
import io.tokengate.store.Store;
import io.tokengate.store.StoreConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Audit records per second from request threads into the database, end to end: each invocation
 * reserves and submits {@value #EVENTS} records the way the data plane does (reserve, then submit
 * into the slot), then waits until the writer has committed all of them. The store runs with the
 * server's default audit settings (queue 65 536, batch 1000, flush 100 ms).
 *
 * <p>Fails loudly on loss: after every iteration the writer must have written exactly what was
 * submitted and dropped nothing, and after the trial (the store closed, which flushes) the table
 * must hold exactly one row per submitted record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(4)
@Fork(1)
public class AuditWriterBenchmark {
    static final int EVENTS = 10_000;
    private static final Duration RESERVE_WAIT = Duration.ofSeconds(10);

    @Param({"h2", "postgresql"})
    String db;

    /** Records per transaction ({@code audit.batch.size}); 0 for the store's default. */
    @Param({"0"})
    int batch;

    private BenchDatabase database;
    private Store store;
    private final AtomicLong submitted = new AtomicLong();

    @Setup(Level.Trial)
    public void open() throws Exception {
        database = BenchDatabase.create(db);
        StoreConfig.Builder config = database.config();
        if (batch > 0) {
            StoreConfig defaults = config.build();
            config.auditQueue(defaults.auditQueueCapacity(), batch, defaults.auditFlushInterval());
        }
        store = Store.open(config.build(), Clock.systemUTC());
    }

    /**
     * One request thread's next records, built before each invocation (not timed). Their times
     * start now and increase, as real traffic's do: records that reused old times would land in the
     * middle of the time indexes, which real traffic never does.
     */
    @State(Scope.Thread)
    public static class Requests {
        private static final AtomicLong SEQUENCE = new AtomicLong();
        final AuditEvent[] events = new AuditEvent[EVENTS];

        @Setup(Level.Invocation)
        public void next() {
            Instant start = Instant.now();
            for (int i = 0; i < EVENTS; i++) {
                events[i] = event(SEQUENCE.incrementAndGet(), start.plusNanos(i * 1000L));
            }
        }
    }

    /** A typical allowed request, each with its own request id and path. */
    static AuditEvent event(long n, Instant at) {
        return AuditEvent.builder(AuditKind.REQUEST, at)
                .requestId("8f14e45f-ceea-467f-a2b4-" + String.format("%012d", n))
                .node("node-1")
                .token(new TokenId("tok_AAAAAAAAAAAAAAAA"), "nightly sync")
                .basicUser("alice")
                .effectiveUser("alice")
                .clientIp("10.1.2." + (n % 250))
                .request("GET", "/rest/api/2/issue/JRA-" + n, "fields=summary,status&expand=changelog")
                .decision(AuditDecision.ALLOW, null)
                .matchedRule(".*/rest/api/2/issue/JRA.*")
                .status(200)
                .upstreamMillis(12L)
                .bytes(0, 2048)
                .build();
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void submitAndCommit(Requests requests) throws InterruptedException {
        AuditWriter writer = store.audit();
        for (AuditEvent event : requests.events) {
            try (AuditSlot slot = writer.reserve(RESERVE_WAIT)
                    .orElseThrow(() -> new IllegalStateException("no audit queue room within " + RESERVE_WAIT))) {
                slot.submit(event);
            }
        }
        submitted.addAndGet(EVENTS);
        if (!writer.flush(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the audit writer did not commit its queue within 60 s: " + writer);
        }
    }

    @TearDown(Level.Iteration)
    public void checkNothingLost() throws InterruptedException {
        AuditWriter writer = store.audit();
        if (!writer.flush(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the audit writer did not commit its queue within 60 s: " + writer);
        }
        if (writer.written() != submitted.get() || writer.dropped() != 0 || writer.abandoned() != 0) {
            throw new IllegalStateException("AUDIT RECORDS LOST: submitted " + submitted.get() + ", written "
                    + writer.written() + ", dropped " + writer.dropped() + ", abandoned " + writer.abandoned());
        }
    }

    @TearDown(Level.Trial)
    public void closeAndCount() throws Exception {
        try {
            store.close();
            long rows = database.number("SELECT COUNT(*) FROM audit_events");
            if (rows != submitted.get()) {
                throw new IllegalStateException(
                        "AUDIT RECORDS LOST: submitted " + submitted.get() + ", rows in audit_events " + rows);
            }
        } finally {
            database.close();
        }
    }
}
