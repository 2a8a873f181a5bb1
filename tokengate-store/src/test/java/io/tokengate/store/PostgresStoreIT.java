package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.audit.AuditQuery;
import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenSpec;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The store contract on a real PostgreSQL, in a database of its own per test. */
class PostgresStoreIT extends StoreContract {
    @Override
    StoreFixture newFixture() {
        return StoreFixture.postgres();
    }

    /**
     * PostgreSQL drops the store's connections (a restart, a failover, {@code
     * pg_terminate_backend}): the next read, on a pooled connection that is dead but not yet
     * known to be, is run again on a fresh one, and answers.
     */
    @Test
    void aReadOnAConnectionTheDatabaseDroppedIsRunAgainOnAFreshOne() throws Exception {
        Store store = open();
        CreatedToken created = store.tokens().create(TokenSpec.bound("ci", "alice", "admin"));
        assertThat(store.tokens().show(created.token().id())).isPresent();
        try (Connection c = fixture.connect(home);
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }
        assertThat(store.tokens().show(created.token().id())).isPresent();
    }

    /**
     * A database that answers pings but refuses writes, as with a full disk: not ready while audit
     * records wait in memory, ready again once they are written, none lost.
     */
    @Test
    void notReadyWhileAuditRecordsCannotBeWritten() throws Exception {
        Store store = open();
        try (Connection c = fixture.connect(home);
                Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN"
                    + " RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100';"
                    + " END $$ LANGUAGE plpgsql");
            s.execute("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events"
                    + " FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit()");
        }
        store.audit().reserve(Duration.ofSeconds(1)).orElseThrow().submit(AuditWriterIT.event(1));
        assertThat(waitFor(() -> store.status().health().auditFailing()))
                .as("the writer fails")
                .isTrue();
        StoreHealth failing = store.status().health();
        assertThat(failing.databaseReachable()).isTrue();
        assertThat(failing.ready()).isFalse();
        assertThat(failing.problem()).contains("audit records cannot be written");

        try (Connection c = fixture.connect(home);
                Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER refuse_audit ON audit_events");
        }
        assertThat(waitFor(() -> store.status().health().ready()))
                .as("ready once written")
                .isTrue();
        assertThat(store.auditLog().query(AuditQuery.all()).events())
                .extracting(AuditEvent::requestId)
                .containsExactly("req-1");
    }

    private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void listensForTokenChanges() {
        Store store = open();
        assertThat(store.status().health().listener()).isIn(StoreHealth.Listener.LIVE, StoreHealth.Listener.DOWN);
    }
}
