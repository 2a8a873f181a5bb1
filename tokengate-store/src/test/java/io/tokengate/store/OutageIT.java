package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenQuery;
import io.tokengate.core.token.TokenSecret;
import io.tokengate.core.token.TokenSpec;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void postgresOutage() throws Exception {
        try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
            StoreConfig config = StoreConfig.builder(home)
                    .database(db.url(), null, null)
                    .pool(2, CONNECTION_TIMEOUT)
                    .build();
            try {
                survivesOutage(config, new Outage() {
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

    @Test
    void h2ServerOutage() throws Exception {
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
            survivesOutage(config, new Outage() {
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
            assertThat(store.health().databaseReachable()).isFalse();

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
            while (!store.health().ready()) { // the cache listener reconnects with backoff
                assertThat(System.nanoTime()).as("store not ready again").isLessThan(deadline);
            }
        }
    }

    private static void failsPromptly(ThrowingCallable call) {
        long start = System.nanoTime();
        assertThatThrownBy(call).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("unavailable");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("fails within a few connection timeouts")
                .isLessThan(CONNECTION_TIMEOUT.multipliedBy(6));
    }
}
