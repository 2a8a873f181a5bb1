package io.tokengate.store;

import com.zaxxer.hikari.HikariDataSource;
import io.tokengate.core.TokengateException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The connection pool (HikariCP) of one database, an embedded H2 file database for a single node
 * or PostgreSQL for a cluster, and how work runs on it: {@link #read} and {@link #transaction}.
 * How it connects is {@link ConnectionSettings}', the embedded database's files {@link
 * EmbeddedH2}'s, the schema {@link Migrations}', how work runs on the pool and what its failures
 * mean {@link PooledConnections}'; this class names the database and answers health checks.
 *
 * <p>Every failure to reach the database surfaces as {@link StoreUnavailableException}: the first
 * after the configured connection timeout, and while the database stays away, at once (see {@link
 * Outages}); the pool reconnects by itself when the database returns.
 */
public final class Database implements AutoCloseable {
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
    private final String nodeId;
    private final HikariDataSource pool;
    private final PooledConnections connections;

    private Database(
            String url, String user, String password, int poolSize, Duration connectionTimeout, String nodeId) {
        this.vendor = Vendor.of(url);
        this.nodeId = nodeId;
        this.url = url;
        this.user = user;
        this.password = password;
        this.connectionTimeout = connectionTimeout;
        this.pool = new HikariDataSource(ConnectionSettings.pool(
                vendor, url, user, password, poolSize, connectionTimeout, sessionName("tokengate")));
        this.connections = new PooledConnections(
                pool,
                describe(),
                connectionTimeout,
                vendor == Vendor.POSTGRESQL
                        ? timeout -> openDedicated(sessionName("tokengate-probe"), timeout)
                                .close()
                        : null);
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
                config.nodeId());
    }

    /**
     * The name of this node's sessions for {@code purpose}: the pool's name, and each session's
     * {@code application_name} on PostgreSQL, where it tells an operator which node holds it.
     */
    String sessionName(String purpose) {
        return purpose + "-" + nodeId;
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
        return connections.transaction(doing, work);
    }

    /**
     * Runs read-only {@code work} on a pooled connection in auto-commit mode. A pooled connection
     * the database dropped (a restart, a failover, {@code pg_terminate_backend}) is found out only
     * when used: the read then runs once more on a fresh connection, so that such a blip costs no
     * request its answer. A database that is really away fails the second try too.
     */
    <T> T read(String doing, SqlWork<T> work) {
        return connections.read(doing, work);
    }

    /**
     * {@link #read} for a request that waits for it (a token lookup on the data plane): the
     * database's answer is awaited at most the connection timeout ({@code db.connection.timeout.ms}),
     * as a connection is, rather than the driver's socket timeout of 60 s. The pool hands out a
     * connection used within the last half second unchecked, and on a network fallen silent (a cut
     * without a reset) the query on it waited for that timeout, holding the request and a server
     * thread. Once the node counts the database away (its cluster listener heard nothing for 900
     * ms), such reads stop waiting at once: see {@link PooledConnections#foundAway}.
     */
    <T> T readOnRequestPath(String doing, SqlWork<T> work) {
        return connections.readOnRequestPath(doing, work);
    }

    /**
     * Calls {@code observer} with what each pooled connection checkout is for, on the thread that
     * checks it out: lets tests prove that a path does no database work.
     */
    void observeCheckouts(Consumer<String> observer) {
        connections.observeCheckouts(observer);
    }

    /** Whether another process has the embedded database open; see {@link EmbeddedH2#heldElsewhere}. */
    boolean embeddedFileHeldElsewhere() {
        return vendor == Vendor.H2
                && EmbeddedH2.heldElsewhere(url, ConnectionSettings.driver(vendor, connectionTimeout, false));
    }

    /**
     * Answers when the database does, within {@code timeout}.
     *
     * @throws StoreUnavailableException saying why not (held by another process, refused, timed out)
     */
    public void requireAnswer(Duration timeout) {
        boolean valid = connections.withConnection(
                "checking the connection", c -> c.isValid((int) Math.max(1, timeout.toSeconds())));
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
        if (connections.away()) {
            try (Connection c = openDedicated(sessionName("tokengate-health"), timeout)) {
                boolean valid = c.isValid(seconds);
                if (valid) {
                    connections.answered();
                }
                return valid;
            } catch (SQLException e) {
                return false;
            }
        }
        try (Connection c = connections.connect("checking that the database answers")) {
            return c.isValid(seconds);
        } catch (SQLException | TokengateException e) {
            return false;
        }
    }

    /**
     * Runs {@code observer} each time an outage ends, on the thread that found the database back
     * (a request, a health probe): for a part of the node that waits between tries of its own,
     * with a backoff of seconds, to try again at once. It must not block.
     */
    void whenBack(Runnable observer) {
        connections.whenBack(observer);
    }

    /**
     * A part of this node with a connection of its own could not open it, or heard nothing on it,
     * because of {@code e} ({@code what} it found, in words that complete "the database is away:
     * "): when that says the database is away, calls that need it fail at once from now on, and so
     * do those waiting for a connection (see {@link PooledConnections#foundAway}).
     */
    void foundAway(String what, SQLException e) {
        connections.foundAway(what, e);
    }

    /**
     * A part of this node opened a connection of its own and the database answered on it: an
     * outage under way ends, as when a health probe finds the database back. Ends one begun by a
     * false alarm (a pause of this JVM that made a session look silent) at once, rather than when
     * a call tries the database again a second later.
     */
    void foundAnswering() {
        connections.answered();
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

    /**
     * {@code url} without what may hold credentials: its query ({@code password=}, {@code
     * sslpassword=}), H2's {@code ;PASSWORD=} and a {@code //USER:PASSWORD@} before the host, which
     * the PostgreSQL driver does not read but an administrator may still write.
     */
    static String redact(String url) {
        String withoutQuery = url.replaceAll("\\?.*$", "");
        return withoutQuery.replaceAll("(?i);(password|user)=[^;]*", "").replaceFirst("^([A-Za-z0-9:]+://).*@", "$1");
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
