package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditKind;
import io.tokengate.core.audit.AuditSlot;
import io.tokengate.core.token.TokenId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The audit writer under load, while the database is down, and at a graceful stop. */
class AuditWriterIT {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriterIT.class);

    @TempDir
    Path home;

    static AuditEvent event(int n) {
        return AuditEvent.builder(
                        AuditKind.REQUEST, Instant.parse("2026-11-28T10:00:00Z").plusMillis(n))
                .requestId("req-" + n)
                .node("node-1")
                .token(new TokenId("tok_AAAAAAAAAAAAAAAA"), "load")
                .basicUser("alice")
                .effectiveUser("alice")
                .clientIp("127.0.0.1")
                .request("GET", "/rest/api/2/issue/JRA-" + n, "fields=summary")
                .status(200)
                .upstreamMillis(3L)
                .bytes(0, 512)
                .build();
    }

    static long rows(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Submits events from {@code threads} threads the way the data plane does; returns events/s. */
    static double load(Store store, int total, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int n = first; n < total; n += threads) {
                        try (AuditSlot slot =
                                store.audit().reserve(Duration.ofSeconds(10)).orElseThrow()) {
                            slot.submit(event(n));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(store.audit().flush(Duration.ofSeconds(60))).isTrue();
        } finally {
            pool.shutdownNow();
        }
        return total / (Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
    }

    @Test
    void writesOneHundredThousandEventsIntoH2WithoutLoss() throws Exception {
        try (Store store = Store.open(StoreConfig.builder(home).build(), Clock.systemUTC())) {
            double perSecond = load(store, 100_000, 8);
            LOG.info("audit writer into H2: {} events/s", Math.round(perSecond));
            try (Connection c = StoreFixture.h2().connect(home)) {
                assertThat(rows(c)).isEqualTo(100_000);
            }
            assertThat(store.audit().written()).isEqualTo(100_000);
            assertThat(store.audit().queued()).isZero();
            assertThat(store.audit().dropped()).isZero();
        }
    }

    @Test
    void writesTwentyThousandEventsIntoPostgres() throws Exception {
        try (PostgresTestDatabase db = PostgresTestDatabase.create();
                Store store = Store.open(
                        StoreConfig.builder(home).database(db.url(), null, null).build(), Clock.systemUTC())) {
            double perSecond = load(store, 20_000, 8);
            LOG.info("audit writer into PostgreSQL: {} events/s", Math.round(perSecond));
            try (Connection c = db.connect()) {
                assertThat(rows(c)).isEqualTo(20_000);
            }
        }
    }

    @Test
    void auditIdsStayUniqueAndIncreasingAfterACrash() throws Exception {
        // H2 hands out audit ids from a cache of 10 000; a crash must not make it reuse one, or
        // the next records would collide with stored ones and be refused.
        StoreConfig config = StoreConfig.builder(home).build();
        try (Store store = Store.open(config, Clock.systemUTC())) {
            for (int n = 0; n < 3; n++) {
                store.audit().record(event(n));
            }
            assertThat(store.audit().flush(Duration.ofSeconds(10))).isTrue();
            try (Connection c = StoreFixture.h2().connect(home);
                    Statement s = c.createStatement()) {
                s.execute("SHUTDOWN IMMEDIATELY"); // what a kill leaves: nothing written beyond the commits
            }
        }
        try (Store store = Store.open(config, Clock.systemUTC())) {
            for (int n = 3; n < 6; n++) {
                store.audit().record(event(n));
            }
            assertThat(store.audit().flush(Duration.ofSeconds(10))).isTrue();
            assertThat(store.audit().dropped()).isZero();
        }
        List<Long> ids = new ArrayList<>();
        try (Connection c = StoreFixture.h2().connect(home);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM audit_events ORDER BY event_time")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        assertThat(ids).hasSize(6).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void gracefulCloseFlushesEverything() throws Exception {
        StoreConfig config = StoreConfig.builder(home)
                .auditQueue(10_000, 100_000, Duration.ofMinutes(5)) // nothing would be written for minutes
                .build();
        Store store = Store.open(config, Clock.systemUTC());
        for (int n = 0; n < 5000; n++) {
            store.audit().record(event(n));
        }
        store.close();
        assertThat(store.audit().reserve(Duration.ZERO))
                .as("closed: no more reservations")
                .isEmpty();
        assertThatThrownBy(() -> store.audit().record(event(0)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("shutting down");
        try (Store reopened = Store.open(config, Clock.systemUTC());
                Connection c = StoreFixture.h2().connect(home)) {
            assertThat(rows(c)).isEqualTo(5000);
            assertThat(reopened.audit().written()).isZero();
        }
    }

    @Test
    void appliesBackPressureWhileTheDatabaseIsDownAndWritesEverythingAfter() throws Exception {
        try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
            StoreConfig config = StoreConfig.builder(home)
                    .database(db.url(), null, null)
                    .pool(2, Duration.ofMillis(300))
                    .auditQueue(500, 100, Duration.ofMillis(20))
                    .build();
            try (Store store = Store.open(config, Clock.systemUTC())) {
                for (int n = 0; n < 100; n++) {
                    store.audit().record(event(n));
                }
                assertThat(store.audit().flush(Duration.ofSeconds(10))).isTrue();

                db.makeUnavailable();
                int accepted = 0;
                while (true) {
                    Optional<AuditSlot> slot = store.audit().reserve(Duration.ofMillis(50));
                    if (slot.isEmpty()) {
                        break;
                    }
                    slot.get().submit(event(100 + accepted));
                    accepted++;
                    assertThat(accepted).as("the queue is bounded").isLessThanOrEqualTo(500);
                }
                assertThat(accepted).isEqualTo(500);
                assertThat(store.audit().queued()).isEqualTo(500);
                assertThat(store.status().health().ready()).isFalse();
                assertThatThrownBy(() -> store.tokens().list(io.tokengate.core.token.TokenQuery.all()))
                        .isInstanceOf(StoreUnavailableException.class);

                db.makeAvailable();
                assertThat(store.audit().flush(Duration.ofSeconds(30))).isTrue();
                assertThat(store.audit().queued()).isZero();
                assertThat(store.audit().reserve(Duration.ZERO))
                        .isPresent()
                        .get()
                        .satisfies(AuditSlot::close);
                try (Connection c = db.connect()) {
                    assertThat(rows(c)).isEqualTo(600);
                }
                assertThat(store.audit().writeFailures()).isPositive();
                assertThat(store.audit().dropped()).isZero();
            }
        }
    }

    @Test
    void aSlotClosedWithoutARecordGivesItsRoomBack() throws Exception {
        StoreConfig config = StoreConfig.builder(home)
                .auditQueue(1, 10, Duration.ofMillis(10))
                .build();
        try (Store store = Store.open(config, Clock.systemUTC())) {
            AuditSlot slot = store.audit().reserve(Duration.ZERO).orElseThrow();
            assertThat(store.audit().reserve(Duration.ZERO)).isEmpty();
            slot.close();
            assertThat(store.audit().abandoned()).isEqualTo(1);
            AuditSlot again = store.audit().reserve(Duration.ZERO).orElseThrow();
            again.submit(event(1));
            assertThatThrownBy(() -> again.submit(event(2))).isInstanceOf(IllegalStateException.class);
            again.close(); // after a submit: nothing to give back
            assertThat(store.audit().abandoned()).isEqualTo(1);
        }
    }
}
