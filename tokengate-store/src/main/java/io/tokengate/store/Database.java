package io.tokengate.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tokengate.core.TokengateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool (HikariCP) and schema migrations (Flyway) of one database: an embedded H2
 * file database for a single node, or PostgreSQL for a cluster. The schema means the same on both;
 * each has its own migration scripts under {@code db/migration/h2} and {@code
 * db/migration/postgresql}, and those both read alike are written once, under {@code
 * db/migration/common}.
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
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setValidationTimeout(Math.max(250, Math.min(connectionTimeout.toMillis(), 5000)));
        // Start even when the database is down: every call fails with a clear message until it is up.
        config.setInitializationFailTimeout(-1);
        driverProperties(true).forEach((k, v) -> config.addDataSourceProperty((String) k, v));
        this.pool = new HikariDataSource(config);
    }

    /**
     * Opens the pool. {@code url} null means the embedded H2 database in {@code home/data}.
     * Connects lazily: a database that is down makes calls fail, not this method.
     */
    public static Database open(StoreConfig config) {
        if (config.dbUrl() == null) {
            keepToOwner(embeddedDirectory(config.home()));
        }
        String url = config.dbUrl() != null ? config.dbUrl() : embeddedUrl(config.home());
        return new Database(
                url,
                config.dbUser(),
                config.dbPassword(),
                config.poolSize(),
                config.connectionTimeout(),
                "tokengate-" + config.nodeId());
    }

    /**
     * Makes the embedded database's directory readable by the owner only, as the key file and the
     * backups are: the files hold the audit log, password hashes and encrypted secrets, and H2
     * creates them as the umask says (usually readable by every local user). A directory that
     * cannot be made is left to H2, which names the problem when it opens.
     */
    private static void keepToOwner(Path directory) {
        try {
            Files.createDirectories(directory);
            OwnerOnly.restrict(directory);
        } catch (IOException | SecurityException e) {
            // H2 reports it
        }
    }

    /**
     * The earliest and the latest time the store takes in a query (the years 1 to 9999, which both
     * databases hold); a time outside them is the caller's mistake, not the database's.
     */
    public static final Instant EARLIEST_TIME = Instant.parse("0001-01-01T00:00:00Z");

    public static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** The embedded database's name in its directory: files {@code tokengate.mv.db} and so on. */
    static final String EMBEDDED_NAME = "tokengate";

    /** Where the embedded database lives: {@code HOME/data}, absolute. */
    public static Path embeddedDirectory(Path home) {
        return home.resolve("data").toAbsolutePath();
    }

    /**
     * The embedded database's URL, chosen for crashes and interrupts:
     *
     * <ul>
     *   <li>{@code retry:} file system: a thread interrupted while H2 reads or writes its file
     *       closes the file (NIO closes an interrupted channel), and without it the database stays
     *       closed, every later call failing until a restart; {@code retry:} reopens the file and
     *       retries. The files are the same as with {@code file:};
     *   <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2 must not close itself from its own shutdown hook,
     *       since the server's graceful stop, also a shutdown hook, still has to write the audit
     *       queue;
     *   <li>{@code WRITE_DELAY=0}: a commit reaches the file before it returns. With H2's default
     *       of 500 ms a process killed right after a commit loses it, so an acknowledged revoke
     *       could come back to life after a crash (measured: all commits of the last half second
     *       lost). Commits are rare here (token changes, batched audit and usage writes);
     *   <li>{@code MAX_COMPACT_TIME=0}: no chunk compaction while closing. H2 2.3's MVStore
     *       corrupts a file ("Double mark", h2database issues 2752, 4083, 4123) when a database
     *       recovered from a SIGKILL is later closed with compaction: CrashRecoveryIT failed 4 of
     *       10 runs with it and 0 of 16 without. The file may grow somewhat instead;
     *   <li>{@code CACHE_SIZE=1024}: a 1 MiB page cache instead of H2's 16 MiB. The audit writer's
     *       copy-on-write pages live in that cache long enough to be promoted to the old
     *       generation, where they die: with 16 MiB the server ran full collections of 50-85 ms
     *       under load. Measured with {@code bench/ab.sh} (two runs, sides swapped): full-collection
     *       time halved, p99 lower in every round (by 10-20 % at 64 connections, and at one
     *       connection), throughput the same; audit queries on a 1.8 million record log took as
     *       long (bench/README.md, "Session 7"). The tokens themselves are served from the token
     *       cache, not from these pages.
     * </ul>
     */
    public static String embeddedUrl(Path home) {
        Path file = embeddedDirectory(home).resolve(EMBEDDED_NAME);
        return "jdbc:h2:retry:" + file.toString().replace('\\', '/')
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;MAX_COMPACT_TIME=0;CACHE_SIZE=1024";
    }

    public Vendor vendor() {
        return vendor;
    }

    /** The URL without credentials, for messages. */
    public String describe() {
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
        try {
            return Flyway.configure()
                    .dataSource(pool)
                    .locations(
                            "classpath:db/migration/" + vendor.name().toLowerCase(Locale.ROOT),
                            "classpath:db/migration/common")
                    .failOnMissingLocations(true)
                    .target(version)
                    .load()
                    .migrate()
                    .migrationsExecuted;
        } catch (FlywayException e) {
            if (SqlErrors.heldByAnotherProcess(e) || embeddedFileHeldElsewhere()) {
                throw SqlErrors.held(describe(), "migrating it", e);
            }
            Throwable cause = e;
            while (cause != null) {
                if (cause instanceof SQLException sql && SqlErrors.isUnavailable(sql)) {
                    throw new StoreUnavailableException(
                            "cannot migrate the database (" + describe() + "): it is unavailable: "
                                    + SqlErrors.brief(connectionFailure(sql)),
                            e);
                }
                cause = cause.getCause();
            }
            throw new StoreException("cannot migrate the database (" + describe() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a database this process can only read: an embedded one whose files it may not write
     * (H2 then opens them read-only, without a word), or a PostgreSQL standby. Either would let the
     * gateway serve while every audit record and token change is refused.
     *
     * @throws StoreException naming what to do
     */
    void requireWritable() {
        boolean readOnly = read("checking that the database can be written", c -> {
            String sql = vendor == Vendor.H2 ? "SELECT READONLY()" : "SELECT current_setting('transaction_read_only')";
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                String answer = rs.getString(1);
                return "true".equalsIgnoreCase(answer) || "on".equalsIgnoreCase(answer);
            }
        });
        if (!readOnly) {
            return;
        }
        throw new StoreException(
                vendor == Vendor.H2
                        ? "the embedded database (" + describe() + ") can only be read: its files are not writable"
                                + " by this user (" + System.getProperty("user.name") + "). Make the home's data"
                                + " directory and its files theirs (chown -R), then start again"
                        : "the database (" + describe() + ") takes no writes (a standby, or"
                                + " default_transaction_read_only): connect to the primary",
                null);
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
    private static SQLException connectionFailure(SQLException e) {
        return e.getCause() instanceof SQLException failure ? failure : e;
    }

    /** A connection was had: ends an outage under way. */
    private void answered() {
        Outages.Outage ended = outages.connected();
        if (ended != null) {
            LOG.info("The database {} answers again; it had not since {}.", describe(), ended.since());
        }
    }

    /**
     * Whether another process has the embedded database open: H2 says so when a connection is
     * made, but the pool's timeout may not carry that first failure, so one connection is made
     * outside the pool to hear it.
     */
    private boolean embeddedFileHeldElsewhere() {
        if (vendor != Vendor.H2) {
            return false;
        }
        try (Connection c = DriverManager.getConnection(url, driverProperties(false))) {
            return false;
        } catch (SQLException e) {
            return SqlErrors.heldByAnotherProcess(e);
        }
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

    /** Whether the embedded database of {@code home} has been made (by a first start). */
    public static boolean embeddedExists(Path home) {
        return Files.exists(embeddedDirectory(home).resolve(EMBEDDED_NAME + ".mv.db"));
    }

    /** Whether the database answers within {@code timeout}. */
    public boolean ping(Duration timeout) {
        try (Connection c = pool.getConnection()) {
            answered();
            return c.isValid((int) Math.max(1, timeout.toSeconds()));
        } catch (SQLException | TokengateException e) {
            return false;
        }
    }

    /**
     * A connection outside the pool, for a long-lived session such as the cache listener. The
     * caller closes it.
     */
    Connection openDedicated(String applicationName) throws SQLException {
        Properties properties = driverProperties(false);
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        if (vendor == Vendor.POSTGRESQL) {
            properties.setProperty("ApplicationName", applicationName);
        }
        return DriverManager.getConnection(url, properties);
    }

    private Properties driverProperties(boolean pooled) {
        Properties p = new Properties();
        if (vendor == Vendor.POSTGRESQL) {
            long connectSeconds = Math.max(1, (connectionTimeout.toMillis() + 999) / 1000);
            p.setProperty("connectTimeout", Long.toString(connectSeconds));
            p.setProperty("loginTimeout", Long.toString(connectSeconds));
            p.setProperty("tcpKeepAlive", "true");
            if (pooled) {
                p.setProperty("ApplicationName", "tokengate");
                p.setProperty("reWriteBatchedInserts", "true");
                p.setProperty("socketTimeout", "60");
            }
        }
        return p;
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
