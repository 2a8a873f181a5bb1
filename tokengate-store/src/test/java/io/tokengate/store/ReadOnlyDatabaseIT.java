package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokengate.core.audit.AuditQuery;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that takes no writes: an embedded one whose files this user may not write (H2 then
 * opens them read-only, silently), a PostgreSQL standby. Before, the gateway served on it, ready,
 * and dropped every audit record as "refused by the database".
 */
class ReadOnlyDatabaseIT {
    @TempDir
    Path home;

    @Test
    void anEmbeddedDatabaseThatCanOnlyBeReadIsRefusedAtStart() {
        StoreConfig writable = StoreConfig.builder(home).build();
        Store.open(writable, Clock.systemUTC()).close();
        String url = "jdbc:h2:" + home.resolve("data").resolve("tokengate").toAbsolutePath() + ";ACCESS_MODE_DATA=r";
        StoreConfig readOnly =
                StoreConfig.builder(home).database(url, null, null).build();

        assertThatThrownBy(() -> Store.open(readOnly, Clock.systemUTC()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("can only be read: its files are not writable by this user")
                .hasMessageContaining("chown -R");
    }

    @Test
    void aPostgresqlThatTakesNoWritesIsRefusedAtStartAndKeepsRecordsWhenItBecomesOne() throws Exception {
        try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
            StoreConfig config = StoreConfig.builder(home)
                    .database(db.url(), null, null)
                    .pool(2, Duration.ofSeconds(2))
                    .build();
            try (Store store = Store.open(config, Clock.systemUTC())) {
                readOnly(db, true);
                Instant start = Instant.now();
                for (int i = 0; i < 5; i++) {
                    store.audit().record(StoreContract.event(start.plusMillis(i), i));
                }
                assertThat(store.audit().flush(Duration.ofSeconds(2)))
                        .as("the standby takes none of them")
                        .isFalse();
                assertThat(store.audit().dropped()).as("kept, not dropped").isZero();

                assertThatThrownBy(() -> Store.open(config, Clock.systemUTC()))
                        .as("a second node started on the standby")
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("takes no writes (a standby, or default_transaction_read_only)");

                readOnly(db, false);
                assertThat(store.audit().flush(Duration.ofSeconds(20))).isTrue();
                assertThat(store.auditLog().query(AuditQuery.all()).events())
                        .as("every record, once the primary is back")
                        .hasSize(5);
            }
        }
    }

    /** Turns the database read-only, or back, as a failover's demoted primary would be, for new and old connections. */
    private static void readOnly(PostgresTestDatabase db, boolean on) throws SQLException {
        db.admin("ALTER DATABASE " + db.name() + " SET default_transaction_read_only = " + (on ? "on" : "off"));
        db.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name()
                + "' AND pid <> pg_backend_pid()");
    }
}
