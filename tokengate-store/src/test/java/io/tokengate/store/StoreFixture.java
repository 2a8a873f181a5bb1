package io.tokengate.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/** One database backend for the store tests: embedded H2 in a temp dir, or a fresh PostgreSQL database. */
interface StoreFixture extends AutoCloseable {
    /** Store settings for this backend, with short timeouts for tests. */
    StoreConfig.Builder config(Path home);

    /** A raw connection for assertions behind the store's back. */
    Connection connect(Path home) throws SQLException;

    @Override
    void close() throws SQLException;

    static StoreFixture h2() {
        return new StoreFixture() {
            @Override
            public StoreConfig.Builder config(Path home) {
                return StoreConfig.builder(home).pool(4, Duration.ofSeconds(2));
            }

            @Override
            public Connection connect(Path home) throws SQLException {
                return DriverManager.getConnection(Database.embeddedUrl(home));
            }

            @Override
            public void close() {}

            @Override
            public String toString() {
                return "H2";
            }
        };
    }

    static StoreFixture postgres() {
        PostgresTestDatabase db = PostgresTestDatabase.create();
        return new StoreFixture() {
            @Override
            public StoreConfig.Builder config(Path home) {
                return StoreConfig.builder(home).database(db.url(), null, null).pool(4, Duration.ofSeconds(2));
            }

            @Override
            public Connection connect(Path home) throws SQLException {
                return db.connect();
            }

            @Override
            public void close() throws SQLException {
                db.close();
            }

            @Override
            public String toString() {
                return "PostgreSQL " + db.name();
            }
        };
    }
}
