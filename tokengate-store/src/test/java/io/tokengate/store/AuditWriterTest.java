package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokengate.core.audit.AuditDecision;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditSlot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * When the writer writes: a full batch at once, a partial batch after one flush interval, and
 * everything at close. Submitting does not wake the writer for every record, so these are the
 * only ways a record reaches the database. And how much it holds: a count and a memory bound.
 */
class AuditWriterTest {
    private final List<List<AuditEvent>> batches = new CopyOnWriteArrayList<>();
    private final Consumer<List<AuditEvent>> insert = batch -> batches.add(new ArrayList<>(batch));
    /** A spill that cannot write: a full disk, say. */
    private static final AuditWriter.Spill NO_SPILL = records -> {
        throw new IOException("disk full");
    };

    private AuditWriter writer(int batchSize, Duration flushInterval) {
        AuditWriter writer = new AuditWriter(
                insert, 1000, batchSize, flushInterval, Duration.ofSeconds(5), "test", Long.MAX_VALUE, NO_SPILL);
        writer.start();
        return writer;
    }

    private static void submit(AuditWriter writer, int from, int count) {
        for (int n = from; n < from + count; n++) {
            writer.reserve(Duration.ZERO).orElseThrow().submit(AuditWriterIT.event(n));
        }
    }

    @Test
    void aFullBatchIsWrittenWithoutWaitingForTheFlushInterval() throws Exception {
        try (AuditWriter writer = writer(10, Duration.ofHours(1))) {
            submit(writer, 0, 10);

            assertThat(writer.flush(Duration.ofSeconds(5)))
                    .as("ten records with a batch size of ten are written long before the hour is up")
                    .isTrue();
            assertThat(batches).hasSize(1);
            assertThat(batches.get(0)).hasSize(10);
        }
    }

    @Test
    void aPartialBatchIsWrittenAfterAFlushInterval() throws Exception {
        try (AuditWriter writer = writer(1000, Duration.ofMillis(50))) {
            submit(writer, 0, 3);

            assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(3);
            assertThat(writer.queued()).isZero();
        }
    }

    @Test
    void recordsBeyondABatchAreWrittenInBatchesOfAtMostTheBatchSize() throws Exception {
        try (AuditWriter writer = writer(100, Duration.ofHours(1))) {
            submit(writer, 0, 250);
            writer.close();

            assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(100));
            assertThat(batches.stream().flatMap(List::stream).map(AuditEvent::requestId))
                    .as("every record written once, in the order submitted")
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 250)
                            .mapToObj(n -> "req-" + n)
                            .toList());
        }
    }

    @Test
    void closeWritesWhatIsQueuedWithoutWaitingForTheFlushInterval() {
        AuditWriter writer = writer(1000, Duration.ofHours(1));
        submit(writer, 0, 5);
        long started = System.nanoTime();

        writer.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("close does not sleep out the hour-long flush interval")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(writer.written()).isEqualTo(5);
        assertThat(writer.dropped()).isZero();
    }

    /** The recording insert, refusing as a database that is down does while {@code down} is set. */
    private Consumer<List<AuditEvent>> unavailableWhile(AtomicBoolean down) {
        return batch -> {
            if (down.get()) {
                throw new StoreUnavailableException("database down");
            }
            insert.accept(batch);
        };
    }

    private static AuditEvent withLongPath(int n) {
        return AuditEvent.builder(AuditKind.REQUEST, Instant.parse("2026-11-28T10:00:00Z"))
                .requestId("req-" + n)
                .request("GET", "/rest/api/2/search/" + "x".repeat(2000), "jql=" + "y".repeat(4000))
                .status(200)
                .build();
    }

    @Test
    void recordsAWriterCannotWriteByTheEndOfItsCloseGoToAFileTheNextStartReads(@TempDir Path home) throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        Path directory = AuditSpill.directory(home);
        AuditWriter writer = new AuditWriter(
                unavailableWhile(down),
                1000,
                2,
                Duration.ofMillis(10),
                Duration.ofMillis(300),
                "test",
                Long.MAX_VALUE,
                new AuditSpill(directory, "node-7", Clock.systemUTC()));
        writer.start();
        List<AuditEvent> submitted = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            submitted.add(everyField(n));
            writer.reserve(Duration.ZERO).orElseThrow().submit(submitted.get(n));
        }
        // Gives up on the database after 300 ms.
        writer.close();

        assertThat(writer.written()).isZero();
        assertThat(writer.dropped()).isZero();
        assertThat(writer.spilled()).isEqualTo(5);
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.toList();
        }
        assertThat(files).singleElement().satisfies(file -> {
            assertThat(file.getFileName().toString())
                    .startsWith("unwritten-")
                    .contains("-node-7-")
                    .as("the count of records it holds, by which a cut file is told from a whole one")
                    .endsWith("-5.jsonl");
            assertThat(AuditSpill.parse(Files.readString(file)))
                    .as("every record, every field")
                    .containsExactlyInAnyOrderElementsOf(submitted);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                .isEqualTo("rwx------");
    }

    /**
     * A database host that stops answering holds the writer in a socket read that ignores
     * interrupts, past the close: what is queued behind it is kept in a file all the same, and the
     * batch it holds is logged in full.
     */
    @Test
    void recordsQueuedBehindAWriterStuckInTheDatabaseAreKeptAtClose(@TempDir Path home) throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Consumer<List<AuditEvent>> hanging = batch -> {
            stuck.countDown();
            while (true) {
                try {
                    if (release.await(60, TimeUnit.SECONDS)) {
                        throw new StoreUnavailableException("the database went away", null);
                    }
                } catch (InterruptedException e) {
                    // a blocking socket read does not notice
                }
            }
        };
        Path directory = AuditSpill.directory(home);
        AuditWriter writer = new AuditWriter(
                hanging,
                1000,
                2,
                Duration.ofMillis(10),
                Duration.ofMillis(100),
                "test",
                Long.MAX_VALUE,
                new AuditSpill(directory, "node-7", Clock.systemUTC()));
        writer.start();
        List<String> log = writerLog(() -> {
            submit(writer, 0, 2);
            assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
            submit(writer, 2, 5);
            writer.close();
        });

        assertThat(writer.spilled())
                .as("the five queued behind the stuck batch")
                .isEqualTo(5);
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.toList();
        }
        assertThat(files).singleElement().satisfies(file -> assertThat(AuditSpill.parse(Files.readString(file)))
                .extracting(AuditEvent::requestId)
                .containsExactlyInAnyOrder("req-2", "req-3", "req-4", "req-5", "req-6"));
        assertThat(log)
                .filteredOn(m -> m.startsWith("audit record being written: "))
                .hasSize(2);
        // The database answers at last, after the process would have ended: the writer keeps the
        // batch it held in a file of its own.
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.spilled() < 7) {
            assertThat(System.nanoTime()).as("the writer keeps its batch").isLessThan(deadline);
            Thread.sleep(10);
        }
        try (Stream<Path> listing = Files.list(directory)) {
            assertThat(listing.filter(f -> f.getFileName().toString().endsWith("-2.jsonl")))
                    .hasSize(1);
        }
    }

    /** Something a test does, which may throw. */
    private interface Action {
        void run() throws Exception;
    }

    /** What the writer logs while {@code action} runs. */
    private static List<String> writerLog(Action action) throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger writerLog = (Logger) LoggerFactory.getLogger(AuditWriter.class);
        writerLog.addAppender(log);
        try {
            action.run();
        } finally {
            writerLog.detachAppender(log);
        }
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** A record with every field set, some to text JSON must escape. */
    private static AuditEvent everyField(int n) {
        return AuditWriterIT.event(n).toBuilder()
                .actor("bob \"the admin\"")
                .request("POST", "/rest/api/2/issue/JRA-" + n, "jql=project%20%3D%20\"ÄBC\"\n&x=😀")
                .decision(n % 2 == 0 ? AuditDecision.ALLOW : AuditDecision.DENY, "line\nbreak, tab\t")
                .matchedRule("[post].*/issue/JRA-.*")
                .upstreamMillis(n % 2 == 0 ? null : 12L)
                .bytes(17, 4096)
                .build();
    }

    @Test
    void recordsThatNeitherTheDatabaseNorAFileTakesAreLoggedInFull() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        AuditWriter writer = new AuditWriter(
                unavailableWhile(down),
                1000,
                2,
                Duration.ofMillis(10),
                Duration.ofMillis(300),
                "test",
                Long.MAX_VALUE,
                NO_SPILL);
        writer.start();
        List<String> log = writerLog(() -> {
            submit(writer, 0, 5);
            writer.close();
        });

        assertThat(writer.written()).isZero();
        assertThat(writer.dropped()).isEqualTo(5);
        assertThat(log)
                .anySatisfy(m -> assertThat(m).contains("cannot keep them in a file (java.io.IOException: disk full)"))
                .filteredOn(m -> m.startsWith("unwritten audit record: "))
                .as("every record, not only their count")
                .hasSize(5)
                .allSatisfy(m -> assertThat(m).contains("requestId=req-"));
    }

    @Test
    void whileTheDatabaseIsDownTheMemoryBoundRefusesReservationsBeforeTheCountDoes() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        Consumer<List<AuditEvent>> flaky = unavailableWhile(down);
        long bound = 20 * AuditQueue.estimatedBytes(withLongPath(0));
        AuditWriter writer = new AuditWriter(
                flaky, 1000, 100, Duration.ofMillis(10), Duration.ofSeconds(5), "test", bound, NO_SPILL);
        writer.start();
        try (writer) {
            int accepted = 0;
            Optional<AuditSlot> slot;
            while (accepted < 1000 && (slot = writer.reserve(Duration.ofMillis(50))).isPresent()) {
                slot.get().submit(withLongPath(accepted++));
            }

            assertThat(accepted)
                    .as("records of maximal URLs stop at the memory bound, far below the count of 1000")
                    .isEqualTo(20);
            assertThat(writer.queuedBytes()).isGreaterThanOrEqualTo(bound);
            assertThat(writer.reserve(Duration.ZERO)).isEmpty();
            assertThat(writer.full()).as("what /health/ready reports").isTrue();

            down.set(false);
            assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(writer.queuedBytes()).isZero();
            assertThat(writer.full()).isFalse();
            assertThat(writer.reserve(Duration.ofSeconds(5)))
                    .as("room again once the backlog is written")
                    .hasValueSatisfying(room -> room.submit(withLongPath(1000)));
        }
        assertThat(writer.written()).isEqualTo(21);
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void aReservationWaitingForMemoryGetsItWhenTheWriterCatchesUp() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        Consumer<List<AuditEvent>> flaky = unavailableWhile(down);
        AuditWriter writer = new AuditWriter(
                flaky,
                1000,
                100,
                Duration.ofMillis(10),
                Duration.ofSeconds(5),
                "test",
                1 /* one record fills it */,
                NO_SPILL);
        writer.start();
        try (writer) {
            writer.reserve(Duration.ZERO).orElseThrow().submit(withLongPath(0));
            assertThat(writer.reserve(Duration.ZERO)).as("the bound is reached").isEmpty();

            Thread revive = new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                down.set(false);
            });
            revive.start();
            assertThat(writer.reserve(Duration.ofSeconds(10)))
                    .as("a reservation that waits is served when the backlog is written")
                    .isPresent()
                    .get()
                    .satisfies(room -> room.submit(withLongPath(1)));
            revive.join();
        }
        assertThat(writer.written()).isEqualTo(2);
    }

    @Test
    void requestsRefusedForWantOfRoomAreSummedUpInARecordOnceThereIsRoom() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        AuditWriter writer = new AuditWriter(
                unavailableWhile(down),
                4,
                100,
                Duration.ofMillis(10),
                Duration.ofSeconds(5),
                "node-7",
                Long.MAX_VALUE,
                NO_SPILL);
        writer.start();
        try (writer) {
            submit(writer, 0, 4);
            assertThat(writer.reserve(Duration.ZERO)).as("full").isEmpty();
            for (int n = 4; n < 10; n++) {
                writer.refused(AuditWriterIT.event(n));
            }

            down.set(false);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (writer.written() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(writer.written()).as("the four queued and the summary").isEqualTo(5);
            AuditEvent summary = batches.stream()
                    .flatMap(List::stream)
                    .filter(e -> "req-4".equals(e.requestId()))
                    .findFirst()
                    .orElseThrow();
            assertThat(summary.node()).isEqualTo("node-7");
            assertThat(summary.status()).isEqualTo(503);
            assertThat(summary.reason()).startsWith("audit queue full: 6 requests refused with 503 from ");
            assertThat(writer.queued())
                    .as("the summary's room is given back once written")
                    .isZero();
        }
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void requestsRefusedAtCloseAreSummedUpBeforeTheWriterStops() {
        AuditWriter writer = writer(100, Duration.ofSeconds(60));
        submit(writer, 0, 2);
        writer.refused(AuditWriterIT.event(2));
        writer.close();
        assertThat(batches.stream().flatMap(List::stream))
                .extracting(AuditEvent::requestId)
                .containsExactlyInAnyOrder("req-0", "req-1", "req-2");
    }
}
