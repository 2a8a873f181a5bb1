package io.tokengate.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * How a connection is had from the HikariCP pool, and how the pool holds itself while the database
 * is away; what an outage is, is {@link PooledConnections}' and {@link Outages}'.
 *
 * <p>A caller waits for a connection up to the connection timeout, but in slices of {@link
 * #SLICE}, asking between two whether to go on: HikariCP's wait cannot be cut short, and a caller
 * already waiting when an outage is found (by another caller, or by the cluster listener within
 * milliseconds) would otherwise wait out the whole timeout for a database known to be away.
 */
final class PoolCheckout {
    /** How soon a waiting caller sees that it need wait no longer. */
    static final Duration SLICE = Duration.ofMillis(250);

    private final HikariDataSource pool;
    /** The pool itself, whose wait takes a timeout of the caller's. */
    private final HikariPool hikari;

    private final Duration timeout;
    /** The pool's minimum idle connections while the database answers. */
    private final int minimumIdle;

    PoolCheckout(HikariDataSource pool, Duration timeout) {
        this.pool = pool;
        this.hikari = (HikariPool) pool.getHikariPoolMXBean();
        this.timeout = timeout;
        this.minimumIdle = pool.getMinimumIdle();
    }

    /**
     * A connection within the connection timeout; empty when {@code giveUp} said so first (asked
     * every {@link #SLICE}).
     *
     * @throws SQLException as the pool's own wait: its timeout (whose cause is the last failure to
     *     make a connection), or a pool that is closed; before the timeout, the timeout of a slice
     *     whose last failure to make a connection is one that trying again does not mend ({@link
     *     SqlErrors#isPermanentTlsFailure}): waiting out the timeout would only delay the same answer
     */
    Optional<Connection> await(BooleanSupplier giveUp) throws SQLException {
        if (pool.isClosed()) {
            return Optional.of(pool.getConnection()); // fails at once, saying so
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                return Optional.of(hikari.getConnection(Math.max(1, Math.min(SLICE.toMillis(), left))));
            } catch (SQLTransientConnectionException e) {
                if (deadline - System.nanoTime() <= 0 || SqlErrors.isPermanentTlsFailure(e.getCause())) {
                    throw e;
                }
                if (giveUp.getAsBoolean()) {
                    return Optional.empty();
                }
            }
        }
    }

    /**
     * While the database is {@code away}, the pool makes no connections of its own (its minimum
     * idle is 0): its connection maker would keep retrying, with a back-off of up to 5 s, and the
     * first call after the database's return would wait for it to wake. A call that waits for a
     * connection starts a maker of its own, which tries at once. Once the database answers, the
     * pool keeps its minimum again.
     */
    void holdWhile(boolean away) {
        pool.getHikariConfigMXBean().setMinimumIdle(away ? 0 : minimumIdle);
    }
}
