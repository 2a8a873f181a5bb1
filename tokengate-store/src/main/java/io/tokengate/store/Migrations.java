package io.tokengate.store;

import java.sql.SQLException;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Brings a database's schema up to date with Flyway. The schema means the same on H2 and
 * PostgreSQL; each has its own scripts under {@code db/migration/h2} and {@code
 * db/migration/postgresql}, and those both read alike are written once, under {@code
 * db/migration/common}. A failure is said in the store's terms: the database is held by another
 * process ({@link DatabaseHeldException}), unavailable ({@link StoreUnavailableException}), or the
 * migration itself failed ({@link StoreException}).
 */
final class Migrations {
    private Migrations() {}

    /**
     * Brings the schema of {@code db} up to migration {@code version} ("latest": all); running it
     * again changes nothing.
     *
     * @return how many migrations were applied
     */
    static int apply(Database db, String version) {
        try {
            return Flyway.configure()
                    .dataSource(db.dataSource())
                    .locations(
                            "classpath:db/migration/" + db.vendor().name().toLowerCase(Locale.ROOT),
                            "classpath:db/migration/common")
                    .failOnMissingLocations(true)
                    .target(version)
                    .load()
                    .migrate()
                    .migrationsExecuted;
        } catch (FlywayException e) {
            if (SqlErrors.heldByAnotherProcess(e) || db.embeddedFileHeldElsewhere()) {
                throw SqlErrors.held(db.describe(), "migrating it", e);
            }
            Throwable cause = e;
            while (cause != null) {
                if (cause instanceof SQLException sql && SqlErrors.isUnavailable(sql)) {
                    throw new StoreUnavailableException(
                            "cannot migrate the database (" + db.describe() + "): it is unavailable: "
                                    + SqlErrors.brief(PooledConnections.connectionFailure(sql)),
                            e);
                }
                cause = cause.getCause();
            }
            throw new StoreException("cannot migrate the database (" + db.describe() + "): " + e.getMessage(), e);
        }
    }
}
