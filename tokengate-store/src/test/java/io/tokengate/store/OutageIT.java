package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenId;
import io.tokengate.core.token.TokenQuery;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.core.token.TokenSpec;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A database outage: every store call fails promptly with {@link StoreUnavailableException}, and
 * the store works again by itself once the database is back. On PostgreSQL (connections refused)
 * and on H2 served over TCP (server stopped).
 */
class OutageIT {
    private static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(500);

    @TempDir
    Path home;

    interface Outage {
        void begin() throws Exception;

        void end() throws Exception;
    }

    /** What a store goes through while the database goes away and comes back. */
    interface Scenario {
        void run(StoreConfig config, Outage outage) throws Exception;
    }

    @Test
    void postgresOutage() throws Exception {
        onPostgres(this::survivesOutage);
    }

    @Test
    void h2ServerOutage() throws Exception {
        onH2Server(this::survivesOutage);
    }

    @Test
    void postgresOutageAcrossAStop() throws Exception {
        onPostgres(this::keepsWhatItCouldNotWriteForTheNextStart);
    }

    @Test
    void h2ServerOutageAcrossAStop() throws Exception {
        onH2Server(this::keepsWhatItCouldNotWriteForTheNextStart);
    }

    @Test
    void postgresOutagesAreEachLoggedByTheAuditWriter() throws Exception {
        onPostgres(this::logsEachOutageOfTheAuditWriter);
    }

    @Test
    void postgresOutagesAreEachLoggedByTheUsageWriter() throws Exception {
        onPostgres(this::logsEachOutageOfTheUsageWriter);
    }

    private void onPostgres(Scenario scenario) throws Exception {
        try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
            StoreConfig config = StoreConfig.builder(home)
                    .database(db.url(), null, null)
                    .pool(2, CONNECTION_TIMEOUT)
                    .build();
            try {
                scenario.run(config, new Outage() {
                    @Override
                    public void begin() throws SQLException {
                        db.makeUnavailable();
                    }

                    @Override
                    public void end() throws SQLException {
                        db.makeAvailable();
                    }
                });
            } finally {
                db.makeAvailable();
            }
        }
    }

    private void onH2Server(Scenario scenario) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String[] args = {"-tcp", "-tcpPort", Integer.toString(port), "-baseDir", home.toString(), "-ifNotExists"};
        Server[] server = {Server.createTcpServer(args).start()};
        StoreConfig config = StoreConfig.builder(home)
                .database("jdbc:h2:tcp://127.0.0.1:" + port + "/tokengate", null, null)
                .pool(2, CONNECTION_TIMEOUT)
                .build();
        try {
            scenario.run(config, new Outage() {
                @Override
                public void begin() {
                    server[0].stop();
                }

                @Override
                public void end() throws SQLException {
                    server[0] = Server.createTcpServer(args).start();
                }
            });
        } finally {
            server[0].stop();
        }
    }

    private void survivesOutage(StoreConfig config, Outage outage) throws Exception {
        try (Store store = Store.open(config, Clock.systemUTC())) {
            CreatedToken known = store.tokens().create(TokenSpec.bound("ci", "alice", "alice"));
            assertThat(store.tokens().verify(known.secret())).isPresent();

            outage.begin();
            TokenSecret unknown = TokenSecret.generate(new SecureRandom());
            failsPromptly(() -> store.tokens().verify(unknown));
            failsPromptly(() -> store.tokens().list(TokenQuery.all()));
            failsPromptly(() -> store.tokens().create(TokenSpec.bound("during", "alice", "alice")));
            failsPromptly(() -> store.tokens().revoke(known.token().id()));
            failsPromptly(() -> store.users().list());
            assertThat(store.status().health().databaseReachable()).isFalse();

            outage.end();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (true) {
                try {
                    store.tokens().list(TokenQuery.all());
                    break;
                } catch (StoreUnavailableException e) {
                    assertThat(System.nanoTime())
                            .as("store did not recover: %s", e.getMessage())
                            .isLessThan(deadline);
                }
            }
            assertThat(store.tokens().verify(unknown)).isEmpty();
            CreatedToken after = store.tokens().create(TokenSpec.bound("after", "alice", "alice"));
            assertThat(store.tokens().verify(after.secret())).isPresent();
            assertThat(store.tokens().revoke(known.token().id())).isPresent();
            while (!store.status().health().ready()) { // the cache listener reconnects with backoff
                assertThat(System.nanoTime()).as("store not ready again").isLessThan(deadline);
            }
        }
    }

    /**
     * A graceful stop while the database is away keeps the records it could not write in a file
     * under the home, and the next start writes them, once: also when the file is found again (a
     * crash after the commit, before the file was deleted). A file it cannot read stays, and does
     * not stop the start.
     */
    private void keepsWhatItCouldNotWriteForTheNextStart(StoreConfig base, Outage outage) throws Exception {
        StoreConfig config =
                base.toBuilder().auditCloseTimeout(Duration.ofMillis(500)).build();
        Path kept = AuditSpill.directory(home);
        List<String> requestIds = new ArrayList<>();
        Store store = Store.open(config, Clock.systemUTC());
        try {
            outage.begin();
            for (int n = 0; n < 10; n++) {
                requestIds.add("outage-" + n);
                store.audit()
                        .reserve(Duration.ZERO)
                        .orElseThrow()
                        .submit(AuditWriterIT.event(n).toBuilder()
                                .requestId("outage-" + n)
                                .build());
            }
        } finally {
            store.close();
        }
        assertThat(store.audit().spilled()).isEqualTo(10);
        assertThat(store.audit().dropped()).isZero();
        List<Path> files;
        try (Stream<Path> listing = Files.list(kept)) {
            files = listing.toList();
        }
        assertThat(files).hasSize(1);
        Path file = files.get(0);
        Path copy = home.resolve("copy-of-the-kept-records");
        Files.copy(file, copy);

        outage.end();
        try (Store next = Store.open(config, Clock.systemUTC())) {
            assertThat(requestIds(next)).containsExactlyInAnyOrderElementsOf(requestIds);
        }
        assertThat(kept).isEmptyDirectory();

        Files.copy(copy, file);
        try (Store again = Store.open(config, Clock.systemUTC())) {
            assertThat(requestIds(again)).as("written once").containsExactlyInAnyOrderElementsOf(requestIds);
        }
        assertThat(kept).as("and the file deleted").isEmptyDirectory();

        Path unreadable = kept.resolve("unwritten-20261130T000000.000Z-node-1-00000000-1.jsonl");
        Files.writeString(unreadable, "{\"time\":\"2026-11-30T00:00:00Z\",\"kind\":\"REQ");
        Path cutShort = kept.resolve("unwritten-20261130T000001.000Z-node-1-00000000-10.jsonl");
        Files.writeString(cutShort, Files.readAllLines(copy).get(0) + "\n");
        Path empty = kept.resolve("unwritten-20261130T000002.000Z-node-1-00000000-3.jsonl");
        Files.writeString(empty, "");
        try (Store third = Store.open(config, Clock.systemUTC())) {
            assertThat(requestIds(third)).as("none of them written").hasSize(10);
        }
        assertThat(unreadable).as("kept for an administrator").exists();
        assertThat(cutShort)
                .as("a file a crash cut short is not taken for a whole one")
                .exists();
        assertThat(empty).exists();
    }

    /**
     * The audit writer says when it starts failing, in every outage: a second outage of the same
     * process is logged too, not only its recovery (the warning once counted failures over the
     * process's life, and an outage that began between two logged failures went unmentioned).
     */
    private void logsEachOutageOfTheAuditWriter(StoreConfig config, Outage outage) throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger writerLog = (Logger) LoggerFactory.getLogger(AuditWriter.class);
        writerLog.addAppender(log);
        try (Store store = Store.open(config, Clock.systemUTC())) {
            AuditWriter writer = store.audit();
            for (int round = 1; round <= 2; round++) {
                outage.begin();
                long failuresBefore = writer.writeFailures();
                writer.reserve(Duration.ZERO)
                        .orElseThrow()
                        .submit(AuditWriterIT.event(round).toBuilder()
                                .requestId("outage-" + round)
                                .build());
                // Three failed writes: the next outage's first failure is then not a multiple of
                // 20 of the process's failures, which the old count needed to log it.
                awaitTrue(() -> writer.writeFailures() >= failuresBefore + 3, "three failed writes in outage " + round);
                outage.end();
                assertThat(writer.flush(Duration.ofSeconds(15)))
                        .as("the record of outage %d written once the database is back", round)
                        .isTrue();
            }
        } finally {
            writerLog.detachAppender(log);
        }
        List<String> messages =
                log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages.stream().filter(m -> m.startsWith("cannot write audit records")))
                .as("one warning as each outage begins: %s", messages)
                .hasSize(2);
        assertThat(messages.stream().filter(m -> m.startsWith("audit writer recovered")))
                .as("and one as each ends: %s", messages)
                .hasSize(2);
    }

    /** Token use counts, gathered and written once a second, as the store does: each outage said once, and its end. */
    private void logsEachOutageOfTheUsageWriter(StoreConfig config, Outage outage) throws Exception {
        TokenId id;
        try (Store store = Store.open(config, Clock.systemUTC())) {
            id = store.tokens()
                    .create(TokenSpec.bound("counted", "alice", "admin"))
                    .token()
                    .id();
        }
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger usageLog = (Logger) LoggerFactory.getLogger(UsageAccumulator.class);
        usageLog.addAppender(log);
        try (Database db = Database.open(config)) {
            UsageAccumulator usage = new UsageAccumulator(new JdbcTokenRepository(db));
            for (int round = 1; round <= 2; round++) {
                outage.begin();
                for (int flush = 0; flush < 3; flush++) { // not a multiple of 60 apart, as the old count needed
                    usage.recordUse(id, Instant.now(), "192.0.2.1");
                    assertThat(usage.flush())
                            .as("nothing written during outage %d", round)
                            .isZero();
                }
                outage.end();
                awaitTrue(() -> usage.flush() > 0 || usage.pendingTokens() == 0, "usage written after outage " + round);
            }
        } finally {
            usageLog.detachAppender(log);
        }
        List<String> messages =
                log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages.stream().filter(m -> m.startsWith("cannot record token usage")))
                .as("one warning as each outage begins: %s", messages)
                .hasSize(2);
        assertThat(messages.stream().filter(m -> m.startsWith("token usage recorded again")))
                .as("and one as each ends: %s", messages)
                .hasSize(2);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s for %s", what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static List<String> requestIds(Store store) {
        return store.auditLog().query(AuditQuery.all()).events().stream()
                .map(AuditEvent::requestId)
                .toList();
    }

    private static void failsPromptly(ThrowingCallable call) {
        long start = System.nanoTime();
        assertThatThrownBy(call).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("unavailable");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("fails within a few connection timeouts")
                .isLessThan(CONNECTION_TIMEOUT.multipliedBy(6));
    }
}
