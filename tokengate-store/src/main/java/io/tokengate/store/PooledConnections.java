package io.tokengate.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How work runs on a {@link Database}'s pool: in a {@linkplain #transaction transaction}, or
 * {@linkplain #read read-only} with one more try when the pool handed out a connection the
 * database had dropped; and what the failures mean for the pool and for the callers.
 *
 * <p>A connection that failed because the database went away is evicted rather than returned, and
 * when it no longer works, so are the idle ones. While the database is away ({@link Outages}) a
 * checkout fails at once, but for one call a second that tries the database again; the first of
 * those to get a connection ends the outage. Every such failure is a {@link StoreUnavailableException}
 * that names the database and what the caller was {@code doing}.
 *
 * <p>An outage also begins when another part of the node finds the database away ({@link
 * #foundAway}: the cluster listener, whose connection it refused): callers then waiting for a
 * connection get their failure within {@link PoolCheckout#SLICE}, not after the connection
 * timeout. During an outage the pool makes no connections of its own ({@link
 * PoolCheckout#holdWhile}), so that the first call after the database's return is not kept
 * waiting for a connection maker asleep in its back-off.
 */
final class PooledConnections {
    /** The database's: log settings that name it keep covering these messages. */
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    /** The database for messages, without credentials. */
    private final String described;

    private final Duration connectionTimeout;
    private final PoolCheckout checkout;
    /** A connection of its own, opened and closed within a time; null: the pool is asked only. */
    private final Probe probe;

    private final Outages outages = new Outages(Clock.systemUTC(), System::nanoTime);
    private volatile Consumer<String> checkoutObserver;
    /** The connections of {@link #readOnRequestPath} under way, to abort when an outage begins. */
    private final Set<Connection> requestPath = ConcurrentHashMap.newKeySet();

    /** Told when an outage ends: parts of the node that wait between tries of their own. */
    private final List<Runnable> backObservers = new CopyOnWriteArrayList<>();

    /** Longest wait of the {@link Probe}: PostgreSQL's connect timeout counts whole seconds. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    /** Opens and closes a connection outside the pool, within {@code timeout}. */
    @FunctionalInterface
    interface Probe {
        void connect(Duration timeout) throws SQLException;
    }

    PooledConnections(HikariDataSource pool, String described, Duration connectionTimeout, Probe probe) {
        this.pool = pool;
        this.described = described;
        this.connectionTimeout = connectionTimeout;
        this.probe = probe;
        this.checkout = new PoolCheckout(pool, connectionTimeout);
    }

    /** See {@link Database#transaction}. */
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

    /** See {@link Database#read}. */
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

    /**
     * {@link #read}, waiting for the database's answer at most the connection timeout: see {@link
     * Database#readOnRequestPath}.
     */
    <T> T readOnRequestPath(String doing, SqlWork<T> work) {
        int bound = (int) Math.min(Integer.MAX_VALUE, connectionTimeout.toMillis());
        return read(doing, c -> {
            c.setNetworkTimeout(Runnable::run, bound); // the pool restores its own when it gets c back
            requestPath.add(c);
            try {
                return work.run(c);
            } finally {
                requestPath.remove(c);
            }
        });
    }

    /**
     * Ends the reads on the request path still waiting for the database's answer, once an outage
     * has begun: on a network fallen silent, each would else wait out its bound (the connection
     * timeout) for an answer the node already knows will not come. Their connections are aborted
     * (the read fails, the pool drops them), and their requests get their 503 at once.
     */
    private void abortRequestPathReads() {
        for (Connection c : requestPath) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException e) {
                // already closed: the read it served has failed or is about to
            }
        }
    }

    /** Runs {@code work} on a pooled connection; see {@link #runOn}. */
    <T> T withConnection(String doing, SqlWork<T> work) {
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
            throw SqlErrors.translate(described, doing, e);
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

    /** See {@link Database#observeCheckouts}. */
    void observeCheckouts(Consumer<String> observer) {
        this.checkoutObserver = observer;
    }

    /**
     * A pooled connection for {@code doing}. While the database is away, the call fails at once,
     * but for one call a second that tries the database again.
     */
    Connection connect(String doing) {
        Consumer<String> observer = checkoutObserver;
        if (observer != null) {
            observer.accept(doing);
        }
        Outages.Outage outage = outages.current();
        if (outage != null && !outages.mayTry(outage)) {
            throw away(doing, outage, null);
        }
        try {
            if (outage != null) {
                probe(outage, doing);
            }
            // A caller that tries the database again waits the whole timeout; any other stops
            // waiting once an outage is under way.
            Connection c = checkout.await(() -> outage == null && away())
                    .orElseThrow(() -> away(doing, outages.current(), null));
            if (outage != null) {
                // Only the caller that tried the database again ends its outage: another may have
                // been handed a pooled connection that the database, gone since, has yet to drop.
                answered();
            }
            return c;
        } catch (SQLException e) {
            // Whatever the reason (refused, timeout, authentication): no connection, no service.
            if (SqlErrors.heldByAnotherProcess(e)) {
                throw SqlErrors.held(described, doing, e);
            }
            String reason = SqlErrors.brief(connectionFailure(e));
            String why = SqlErrors.isPermanentTlsFailure(e.getCause())
                    ? "no database connection, and trying again will not give one: " + reason
                    : "no database connection within " + connectionTimeout.toMillis() + " ms (" + reason + ")";
            // Only a database that refused a connection is away; a pool whose connections are all
            // busy times out with no such failure, and its callers keep waiting their turn.
            if (e.getCause() != null && outages.noConnection(reason)) {
                holdPool();
                LOG.warn(
                        "The database {} gave {}. Until it does, calls that need it fail at once, and one a second"
                                + " tries it again.",
                        described,
                        why);
            }
            throw new StoreUnavailableException(
                    "The token store (" + described + ") is unavailable while " + doing + ": " + why, e);
        } finally {
            if (outage != null) {
                outages.tried(outage);
            }
        }
    }

    /**
     * During an outage, the one call a second that tries the database again first asks the {@link
     * Probe} for a connection of its own, within {@link #PROBE_TIMEOUT}: the pool would wait its
     * whole connection timeout for a database that still refuses (its connection maker keeps
     * retrying until then), holding a request, and so a server thread, for seconds each time. A
     * refusal fails the call at once; an answer lets it ask the pool. Without a probe (H2: a second
     * embedded connection would open the file anew), the pool is asked only.
     *
     * @throws StoreUnavailableException when the database still does not answer
     */
    private void probe(Outages.Outage outage, String doing) {
        if (probe == null) {
            return;
        }
        Duration timeout = connectionTimeout.compareTo(PROBE_TIMEOUT) < 0 ? connectionTimeout : PROBE_TIMEOUT;
        try {
            probe.connect(timeout); // it answers: ask the pool
        } catch (SQLException e) {
            outages.noConnection(SqlErrors.brief(e));
            throw away(doing, outage, e);
        }
    }

    /** The failure of a call turned away while {@code doing}, during {@code outage}. */
    private StoreUnavailableException away(String doing, Outages.Outage outage, SQLException cause) {
        // The outage may have ended since it turned the caller away: it is still the reason.
        String since = outage == null ? "just now" : "since " + outage.since() + " (" + outage.reason() + ")";
        return new StoreUnavailableException(
                "The token store (" + described + ") is unavailable while " + doing + ": the database has not answered "
                        + since + "; it is tried again every second",
                cause);
    }

    /**
     * A part of the node found the database away ({@code what} it found, in words that complete
     * "the database is away: "): a connection of its own was refused, or not answered, for a reason
     * that says the database is away ({@link SqlErrors#saysAway}). Begins an outage at once, rather
     * than when a call has waited the connection timeout for it.
     */
    void foundAway(String what, SQLException e) {
        if (!SqlErrors.saysAway(e)) {
            return;
        }
        String reason = SqlErrors.brief(e);
        if (outages.noConnection(reason)) {
            holdPool();
            abortRequestPathReads();
            LOG.warn(
                    "The database {} is away: {} ({}). Until it answers, calls that need it fail at once, and one a"
                            + " second tries it again.",
                    described,
                    what,
                    reason);
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

    /** Whether the database is known to be away: an outage is under way. */
    boolean away() {
        return outages.current() != null;
    }

    /** See {@link Database#whenBack}. */
    void whenBack(Runnable observer) {
        backObservers.add(observer);
    }

    /** A connection was had: ends an outage under way, and tells those waiting to try again. */
    void answered() {
        Outages.Outage ended = outages.connected();
        if (ended != null) {
            holdPool();
            LOG.info("The database {} answers again; it had not since {}.", described, ended.since());
            backObservers.forEach(Runnable::run);
        }
    }

    /**
     * Holds the pool while the database is away ({@link PoolCheckout#holdWhile}). Reads the state
     * rather than being told it, so that an outage that begins and ends at once leaves the pool as
     * the last of them says.
     */
    private synchronized void holdPool() {
        checkout.holdWhile(away());
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
}
