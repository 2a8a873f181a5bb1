package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * When the writer writes: a full batch at once, a partial batch after one flush interval, and
 * everything at close. Submitting does not wake the writer for every record, so these are the
 * only ways a record reaches the database.
 */
class AuditWriterTest {
    private final List<List<AuditEvent>> batches = new CopyOnWriteArrayList<>();
    private final Consumer<List<AuditEvent>> insert = batch -> batches.add(new ArrayList<>(batch));

    private AuditWriter writer(int batchSize, Duration flushInterval) {
        AuditWriter writer = new AuditWriter(insert, 1000, batchSize, flushInterval, Duration.ofSeconds(5), "test");
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
}
