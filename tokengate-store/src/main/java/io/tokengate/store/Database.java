package io.tokengate.store;

import com.zaxxer.hikari.HikariDataSource;
import io.tokengate.core.TokengateException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool (HikariCP) of one database, an embedded H2 file database for a single node
 * or PostgreSQL for a cluster, and how work runs on it: {@link #read} and {@link #transaction}.
 * How it connects is {@link ConnectionSettings}', the embedded database's files {@link
 * EmbeddedH2}'s, the schema {@link Migrations}'.
 *
 * <p>Every failure to reach the database surfaces as {@link StoreUnavailableException}: the first
 * after the configured connection timeout, and while the database stays away, at once (see {@link
 * Outages}); the pool reconnects by itself when the database returns.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /**
     * H2's JVM-wide caches of recent values ({@code h2.objectCache}), which look every string
     * parameter up twice (hash and compare) so that equal values share memory. The audit writer
     * binds fifteen strings a record, most of them never seen again: the lookups were a sixth of
     * the writer's time. Off unless the operator sets the property; H2 reads it once, when its
     * first class loads, which is after this class's.
     */
    static final String H2_OBJECT_CACHE = "h2.objectCache";

    static {
        if (System.getProperty(H2_OBJECT_CACHE) == null) {
            System.setProperty(H2_OBJECT_CACHE, "false");
        }
    }

    /** The databases tokengate runs on. */
    public enum Vendor {
        H2,
        POSTGRESQL;

        static Vendor of(String url) {
            String lower = url.toLowerCase(Locale.ROOT);
            if (lower.startsWith("jdbc:h2:")) {
                return H2;
            }
            if (lower.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            throw new IllegalArgumentException("unsupported database URL '" + redact(url)
                    + "' (expected jdbc:postgresql://HOST:PORT/DATABASE, or none for the embedded H2 database)");
        }
    }

    private final Vendor vendor;
    private final String url;
    private final String user;
    private final String password;
    private final Duration connectionTimeout;
    private final HikariDataSource pool;
    private final Outages outages = new Outages(Clock.systemUTC(), System::nanoTime);
    private volatile Consumer<String> checkoutObserver;

    private Database(
            String url, String user, String password, int poolSize, Duration connectionTimeout, String poolName) {
        this.vendor = Vendor.of(url);
        this.url = url;
        this.user = user;
        this.password = password;
        this.connectionTimeout = connectionTimeout;
        this.pool = new HikariDataSource(
                ConnectionSettings.pool(vendor, url, user, password, poolSize, connectionTimeout, poolName));
    }

    /**
     * Opens the pool. {@code url} null means the embedded H2 database in {@code home/data}.
     * Connects lazily: a database that is down makes calls fail, not this method; but an embedded
     * database that another process holds is refused here, at once.
     *
     * @throws DatabaseHeldException when another process holds the embedded database
     */
    public static Database open(StoreConfig config) {
        if (config.dbUrl() == null) {
            EmbeddedH2.keepToOwner(EmbeddedH2.directory(config.home()));
            if (EmbeddedH2.lockedElsewhere(
                    config.home(), ConnectionSettings.driver(Vendor.H2, config.connectionTimeout(), false))) {
                throw SqlErrors.held(describe(Vendor.H2, EmbeddedH2.url(config.home())), "opening it", null);
            }
        }
        String url = config.dbUrl() != null ? config.dbUrl() : EmbeddedH2.url(config.home());
        return new Database(
                url,
                config.dbUser(),
                config.dbPassword(),
                config.poolSize(),
                config.connectionTimeout(),
                "tokengate-" + config.nodeId());
    }

    /**
     * The earliest and the latest time the store takes in a query (the years 1 to 9999, which both
     * databases hold); a time outside them is the caller's mistake, not the database's.
     */
    public static final Instant EARLIEST_TIME = Instant.parse("0001-01-01T00:00:00Z");

    public static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** Where the embedded database lives: {@code HOME/data}, absolute. */
    public static Path embeddedDirectory(Path home) {
        return EmbeddedH2.directory(home);
    }

    /** The embedded database's URL; see {@link EmbeddedH2#url} for its settings. */
    public static String embeddedUrl(Path home) {
        return EmbeddedH2.url(home);
    }

    /** Whether the embedded database of {@code home} has been made (by a first start). */
    public static boolean embeddedExists(Path home) {
        return EmbeddedH2.exists(home);
    }

    public Vendor vendor() {
        return vendor;
    }

    /** The URL without credentials, for messages. */
    public String describe() {
        return describe(vendor, url);
    }

    private static String describe(Vendor vendor, String url) {
        return vendor + " " + redact(url);
    }

    DataSource dataSource() {
        return pool;
    }

    /**
     * Brings the schema up to date; running it again changes nothing.
     *
     * @return how many migrations were applied
     */
    public int migrate() {
        return migrateTo("latest");
    }

    /** Brings the schema up to migration {@code version} ("latest": all); for upgrade tests. */
    int migrateTo(String version) {
        return Migrations.apply(this, version);
    }

    /** Runs {@code work} in one transaction, committed when it returns, rolled back when it throws. */
    <T> T transaction(String doing, SqlWork<T> work) {
        return withConnection(doing, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        });
    }

    /**
     * Runs read-only {@code work} on a pooled connection in auto-commit mode. A pooled connection
     * the database dropped (a restart, a failover, {@code pg_terminate_backend}) is found out only
     * when used: the read then runs once more on a fresh connection, so that such a blip costs no
     * request its answer. A database that is really away fails the second try too.
     */
    <T> T read(String doing, SqlWork<T> work) {
        boolean[] dropped = {false};
        try {
            return runOn(connect(doing), doing, work, dropped);
        } catch (StoreUnavailableException e) {
            if (!dropped[0]) {
                throw e;
            }
            return withConnection(doing, work);
        }
    }

    /** Runs {@code work} on a pooled connection; see {@link #runOn}. */
    private <T> T withConnection(String doing, SqlWork<T> work) {
        return runOn(connect(doing), doing, work, new boolean[1]);
    }

    /**
     * Runs {@code work} on {@code c} and gives it back to the pool. A connection that failed
     * because the database went away is evicted from the pool rather than returned to it, and, when
     * it no longer works ({@code dropped[0]} is then set), so are the others, idle ones at once:
     * the pool would otherwise keep handing out connections that can never work again (H2 reports
     * a closed database with codes the pool does not know).
     */
    private <T> T runOn(Connection c, String doing, SqlWork<T> work, boolean[] dropped) {
        boolean evicted = false;
        try {
            return work.run(c);
        } catch (SQLException e) {
            if (SqlErrors.isUnavailable(e)) {
                // A deadlock, a cancelled query or a lock timeout counts as unavailable too, on a
                // connection that still works: only a connection that no longer does says the
                // database dropped it.
                dropped[0] = !stillWorks(c);
                pool.evictConnection(c);
                evicted = true;
                if (dropped[0]) {
                    // What dropped it (a restart, a failover) dropped the idle ones too, which the
                    // pool hands out unchecked when they were used within the last 500 ms.
                    pool.getHikariPoolMXBean().softEvictConnections();
                }
            }
            throw SqlErrors.translate(describe(), doing, e);
        } finally {
            if (!evicted) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // returning a connection to the pool does not fail in a way the caller can act on
                }
            }
        }
    }

    /**
     * Calls {@code observer} with what each pooled connection checkout is for, on the thread that
     * checks it out: lets tests prove that a path does no database work.
     */
    void observeCheckouts(Consumer<String> observer) {
        this.checkoutObserver = observer;
    }

    /**
     * A pooled connection for {@code doing}. While the database is away, the call fails at once,
     * but for one call a second that tries the database again.
     */
    private Connection connect(String doing) {
        Consumer<String> observer = checkoutObserver;
        if (observer != null) {
            observer.accept(doing);
        }
        Outages.Outage outage = outages.current();
        if (outage != null && !outages.mayTry(outage)) {
            throw new StoreUnavailableException(
                    "The token store (" + describe() + ") is unavailable while " + doing
                            + ": the database has not answered since " + outage.since() + " ("
                            + outage.reason() + "); it is tried again every second",
                    null);
        }
        try {
            Connection c = pool.getConnection();
            answered();
            return c;
        } catch (SQLException e) {
            // Whatever the reason (refused, timeout, authentication): no connection, no service.
            if (SqlErrors.heldByAnotherProcess(e)) {
                throw SqlErrors.held(describe(), doing, e);
            }
            String reason = SqlErrors.brief(connectionFailure(e));
            // Only a database that refused a connection is away; a pool whose connections are all
            // busy times out with no such failure, and its callers keep waiting their turn.
            if (e.getCause() != null && outages.noConnection(reason)) {
                LOG.warn(
                        "The database {} gave no connection within {} ms ({}). Until it does, calls that need it"
                                + " fail at once, and one a second tries it again.",
                        describe(),
                        connectionTimeout.toMillis(),
                        reason);
            }
            throw new StoreUnavailableException(
                    "The token store (" + describe() + ") is unavailable while " + doing
                            + ": no database connection within " + connectionTimeout.toMillis() + " ms (" + reason
                            + ")",
                    e);
        } finally {
            if (outage != null) {
                outages.tried(outage);
            }
        }
    }

    /**
     * Why the pool gave no connection: the last failure to make one, which its timeout carries as
     * its cause, is the reason an operator needs ("database ... does not exist", "Connection
     * refused"); the timeout itself says only that time ran out.
     */
    static SQLException connectionFailure(SQLException e) {
        return e.getCause() instanceof SQLException failure ? failure : e;
    }

    /** A connection was had: ends an outage under way. */
    private void answered() {
        Outages.Outage ended = outages.connected();
        if (ended != null) {
            LOG.info("The database {} answers again; it had not since {}.", describe(), ended.since());
        }
    }

    /** Whether another process has the embedded database open; see {@link EmbeddedH2#heldElsewhere}. */
    boolean embeddedFileHeldElsewhere() {
        return vendor == Vendor.H2
                && EmbeddedH2.heldElsewhere(url, ConnectionSettings.driver(vendor, connectionTimeout, false));
    }

    private static boolean stillWorks(Connection c) {
        try {
            return !c.isClosed() && c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void rollbackQuietly(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Answers when the database does, within {@code timeout}.
     *
     * @throws StoreUnavailableException saying why not (held by another process, refused, timed out)
     */
    public void requireAnswer(Duration timeout) {
        boolean valid =
                withConnection("checking the connection", c -> c.isValid((int) Math.max(1, timeout.toSeconds())));
        if (!valid) {
            throw new StoreUnavailableException("the database " + describe() + " does not answer", null);
        }
    }

    /**
     * Whether the database answers ({@code /health/ready}). While it is known to be away, it is
     * asked on a connection of its own within {@code timeout}, rather than by waiting the pool's
     * connection timeout for each probe (a balancer's check would time out instead of hearing
     * 503), nor skipped (a node out of rotation gets no request that could find it back); an
     * answer ends the outage. Otherwise the pool is asked, as any call asks it.
     */
    public boolean ping(Duration timeout) {
        int seconds = (int) Math.max(1, timeout.toSeconds());
        if (outages.current() != null) {
            try (Connection c = openDedicated("tokengate-health", timeout)) {
                boolean valid = c.isValid(seconds);
                if (valid) {
                    answered();
                }
                return valid;
            } catch (SQLException e) {
                return false;
            }
        }
        try (Connection c = connect("checking that the database answers")) {
            return c.isValid(seconds);
        } catch (SQLException | TokengateException e) {
            return false;
        }
    }

    /**
     * A connection outside the pool, for a long-lived session such as the cache listener. The
     * caller closes it.
     */
    Connection openDedicated(String applicationName) throws SQLException {
        return openDedicated(applicationName, connectionTimeout);
    }

    /** {@link #openDedicated(String)}, had within {@code timeout}. */
    private Connection openDedicated(String applicationName, Duration timeout) throws SQLException {
        return DriverManager.getConnection(
                url, ConnectionSettings.dedicated(vendor, timeout, user, password, applicationName));
    }

    static String redact(String url) {
        String withoutQuery = url.replaceAll("\\?.*$", "");
        return withoutQuery.replaceAll("(?i);(password|user)=[^;]*", "");
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "Database[" + describe() + "]";
    }
}
