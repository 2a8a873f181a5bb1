package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.core.token.CreatedToken;
import io.tokengate.core.token.TokenSpec;
import java.sql.Connection;
import java.sql.Statement;
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

    @Test
    void listensForTokenChanges() {
        Store store = open();
        assertThat(store.health().listener()).isIn(StoreHealth.Listener.LIVE, StoreHealth.Listener.DOWN);
    }
}
