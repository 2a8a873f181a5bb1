package io.tokengate.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The store contract on a real PostgreSQL, in a database of its own per test. */
class PostgresStoreIT extends StoreContract {
    @Override
    StoreFixture newFixture() {
        return StoreFixture.postgres();
    }

    @Test
    void listensForTokenChanges() {
        Store store = open();
        assertThat(store.health().listener()).isIn(StoreHealth.Listener.LIVE, StoreHealth.Listener.DOWN);
    }
}
