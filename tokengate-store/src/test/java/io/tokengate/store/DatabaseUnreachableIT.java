package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that cannot be reached is named with the reason, not only the pool's timeout; while
 * it stays away, calls fail at once instead of each waiting the timeout.
 */
class DatabaseUnreachableIT {
    @TempDir
    Path home;

    @Test
    void aDatabaseThatDoesNotExistIsSaidToNotExist() {
        StoreConfig config = StoreConfig.builder(home)
                .database("jdbc:postgresql://127.0.0.1:5432/tokengate_no_such_database", "postgres", null)
                .pool(2, Duration.ofSeconds(1))
                .build();
        try (Database db = Database.open(config)) {
            assertThatThrownBy(() -> db.read("listing tokens", c -> null))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("no database connection within 1000 ms")
                    .hasMessageContaining("\"tokengate_no_such_database\" does not exist");
        }
    }

    @Test
    void migratingADatabaseThatDoesNotExistSaysSo() {
        StoreConfig config = StoreConfig.builder(home)
                .database("jdbc:postgresql://127.0.0.1:5432/tokengate_no_such_database", "postgres", null)
                .pool(2, Duration.ofSeconds(1))
                .build();
        try (Database db = Database.open(config)) {
            assertThatThrownBy(db::migrate)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("cannot migrate the database")
                    .hasMessageContaining("\"tokengate_no_such_database\" does not exist");
        }
    }

    @Test
    void callsDuringAnOutageFailAtOnceAndOneASecondTriesTheDatabaseAgain() throws Exception {
        try (PostgresTestDatabase postgres = PostgresTestDatabase.create()) {
            StoreConfig config = StoreConfig.builder(home)
                    .database(postgres.url(), null, null)
                    .pool(2, Duration.ofSeconds(3))
                    .build();
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try (Database db = Database.open(config)) {
                assertThat(answers(db)).isTrue();

                postgres.makeUnavailable();
                assertThat(firstFailure(db))
                        .as("the first call waits for a connection")
                        .contains("no database connection within 3000 ms");

                List<Future<String>> burst = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    burst.add(callers.submit(() -> {
                        try {
                            db.read("looking up a token", c -> null);
                            return "answered";
                        } catch (StoreUnavailableException e) {
                            return e.getMessage();
                        }
                    }));
                }
                List<String> failures = new ArrayList<>();
                for (Future<String> call : burst) {
                    failures.add(call.get());
                }
                // Each call waiting the timeout would mean 16 server threads held for 3 s each.
                assertThat(failures)
                        .as("at most one call of the burst tries the database; the others are turned away")
                        .filteredOn(message -> message.contains("the database has not answered since"))
                        .hasSizeGreaterThanOrEqualTo(15)
                        .allSatisfy(message -> assertThat(message)
                                .startsWith("The token store (POSTGRESQL jdbc:postgresql://127.0.0.1:5432/")
                                .contains("unavailable while looking up a token")
                                .contains("is not currently accepting connections")
                                .endsWith("it is tried again every second"));

                postgres.makeAvailable();
                awaitAnswering(db, "the database was not tried again");
                for (int i = 0; i < 5; i++) {
                    assertThat(answers(db)).as("the outage is over").isTrue();
                }
            } finally {
                callers.shutdownNow();
                postgres.makeAvailable();
            }
        }
    }

    /**
     * The one call a second that tries an away PostgreSQL again fails as soon as the database
     * refuses, not after the pool's whole connection timeout: before, during a PostgreSQL restart a
     * cluster review saw one request a second on every node held for the timeout (5 s) before its
     * 503, a cached token's too.
     */
    @Test
    void theCallThatTriesAnAwayDatabaseAgainDoesNotWaitTheTimeout() throws Exception {
        try (PostgresTestDatabase postgres = PostgresTestDatabase.create()) {
            StoreConfig config = StoreConfig.builder(home)
                    .database(postgres.url(), null, null)
                    .pool(2, Duration.ofSeconds(3))
                    .build();
            try (Database db = Database.open(config)) {
                assertThat(answers(db)).isTrue();
                postgres.makeUnavailable();
                assertThat(firstFailure(db)).contains("no database connection within 3000 ms");

                for (int attempt = 0; attempt < 3; attempt++) {
                    Thread.sleep(Outages.RETRY_SPACING.toMillis() + 100); // this call is the one that tries
                    long start = System.nanoTime();
                    Throwable thrown = catchThrowable(() -> db.read("looking up a token", c -> null));
                    assertThat(Duration.ofNanos(System.nanoTime() - start))
                            .as("the try fails once the database refuses, long before the pool's 3 s")
                            .isLessThan(Duration.ofMillis(1500));
                    assertThat(thrown)
                            .isInstanceOf(StoreUnavailableException.class)
                            .hasMessageContaining("is not currently accepting connections")
                            .hasMessageEndingWith("it is tried again every second");
                }

                postgres.makeAvailable();
                awaitAnswering(db, "the database was not found back");
            } finally {
                postgres.makeAvailable();
            }
        }
    }

    @Test
    void aPoolWhoseConnectionsAreAllBusyIsNoOutage() throws Exception {
        StoreConfig config =
                StoreConfig.builder(home).pool(2, Duration.ofMillis(500)).build();
        ExecutorService holders = Executors.newFixedThreadPool(2);
        try (Database db = Database.open(config)) {
            CountDownLatch holding = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            List<Future<Boolean>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(holders.submit(() -> hold(db, holding, release)));
            }
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> answers(db))
                        .as("each caller waits its turn, as long as the timeout")
                        .isInstanceOf(StoreUnavailableException.class)
                        .hasMessageContaining("no database connection within 500 ms");
            }

            release.countDown();
            for (Future<Boolean> holder : held) {
                assertThat(holder.get(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(answers(db)).isTrue();
        } finally {
            holders.shutdownNow();
        }
    }

    /**
     * Holds a pooled connection of {@code db} until {@code release}, counting {@code holding} down
     * once it has it. The pool makes its first connections only when asked, and the first creates
     * the embedded database: on a busy machine that takes longer than the pool's 500 ms, and the
     * holder is turned away as any caller would be. It asks again then, 30 s at most: what the test
     * is about begins once both connections are held.
     */
    private static boolean hold(Database db, CountDownLatch holding, CountDownLatch release)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return db.read("holding a connection", c -> {
                    holding.countDown();
                    try {
                        return release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                });
            } catch (StoreUnavailableException e) {
                assertThat(e.getMessage())
                        .as("the pool was still making its first connections, not finding the database away")
                        .contains("no database connection within 500 ms");
                assertThat(System.nanoTime())
                        .as("no connection to hold within 30 s: %s", e.getMessage())
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    /**
     * The message of the first call to fail: a call or two may still run on a pooled connection
     * that the database is about to drop.
     */
    private static String firstFailure(Database db) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                answers(db);
            } catch (StoreUnavailableException e) {
                return e.getMessage();
            }
            assertThat(System.nanoTime()).as("the database stays available").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Waits, 30 s at most, until {@code db} answers again; fails saying {@code notYet} otherwise. */
    private static void awaitAnswering(Database db, String notYet) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                assertThat(answers(db)).isTrue();
                return;
            } catch (StoreUnavailableException e) {
                assertThat(System.nanoTime())
                        .as("%s: %s", notYet, e.getMessage())
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    private static boolean answers(Database db) {
        return db.read("checking the connection", c -> c.isValid(1));
    }
}
