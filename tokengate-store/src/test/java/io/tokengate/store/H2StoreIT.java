package io.tokengate.store;

/** The store contract on the embedded H2 file database, in a temp dir. */
class H2StoreIT extends StoreContract {
    @Override
    StoreFixture newFixture() {
        return StoreFixture.h2();
    }
}
