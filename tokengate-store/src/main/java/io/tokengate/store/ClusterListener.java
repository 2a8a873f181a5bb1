package io.tokengate.store;

import io.tokengate.core.Causes;
import io.tokengate.core.token.TokenCache;
import io.tokengate.core.token.TokenId;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one dedicated PostgreSQL session per node over which the nodes of a cluster tell each other
 * things (LISTEN/NOTIFY): it keeps that session up, and hands on what it hears. Token changes it
 * handles itself: it listens for the notifications the {@code tokens} trigger sends on every
 * committed change, and drops the changed token from this node's cache (within {@value
 * #POLL_MILLIS} ms of the commit, plus network time). The counts the nodes add up, and requests to
 * forget them, it hands to {@link ClusterCounts}, and sends that class's counts every {@value
 * ClusterCounts#SHARE_MILLIS} ms.
 *
 * <p>It is {@linkplain #isLive() live} only while its session is up and has answered a ping within
 * {@value #STALE_MILLIS} ms, so a silently broken connection counts as lost. While not live the
 * cache is bypassed (fail closed); on reconnecting it listens first, then flushes the whole cache,
 * because notifications sent meanwhile are lost, and only then becomes live again.
 */
final class ClusterListener implements AutoCloseable {
    static final String CHANNEL = "tokengate_token_changed";
    static final int POLL_MILLIS = 200;
    /**
     * A node cut off from the database by a silent network must stop trusting its cache within
     * the one second in which a revoke elsewhere takes effect: a ping every 250 ms, and 900 ms of
     * silence count as lost. A false alarm (a long GC pause) only bypasses the cache until the
     * next ping; four trivial queries a second per node are the price.
     */
    static final int PING_MILLIS = 250;

    static final int STALE_MILLIS = 900;
    private static final Logger LOG = LoggerFactory.getLogger(ClusterListener.class);
    private static final long MIN_BACKOFF_MILLIS = 50;
    private static final Duration MIN_BACKOFF = Duration.ofMillis(MIN_BACKOFF_MILLIS);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final Database db;
    private final TokenCache cache;
    private final ClusterCounts counts;
    private final String applicationName;
    private final Runnable reconnected;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition(); // signalled on stop and on connect
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile long lastAliveNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(STALE_MILLIS);
    private volatile Connection connection;
    private volatile String lastProblem = "not connected yet";

    /**
     * @param reconnected run on this listener's thread each time it is live again after losing its
     *     session (not at the first connect): the database answers again; it must not block
     */
    ClusterListener(Database db, TokenCache cache, ClusterCounts counts, String nodeId, Runnable reconnected) {
        this.db = db;
        this.reconnected = reconnected;
        this.cache = cache;
        this.counts = counts;
        this.applicationName = "tokengate-listener-" + nodeId;
        this.thread = new Thread(this::run, "tokengate-cache-listener-" + nodeId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether cached tokens can be trusted: listening, and heard from the database lately. */
    boolean isLive() {
        // Elapsed time, not wall-clock time: a clock adjustment must not make the cache flap.
        return connected && System.nanoTime() - lastAliveNanos < TimeUnit.MILLISECONDS.toNanos(STALE_MILLIS);
    }

    /** Why the listener is not live; meaningful only when {@link #isLive()} is false. */
    String problem() {
        return lastProblem;
    }

    /** The PostgreSQL name of the listening session, to find it in {@code pg_stat_activity}. */
    String applicationName() {
        return applicationName;
    }

    private void run() {
        Duration backoff = MIN_BACKOFF;
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                c.setNetworkTimeout(Runnable::run, STALE_MILLIS); // a silent network fails the ping
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                    s.execute("LISTEN " + ClusterCounts.FORGET_CHANNEL);
                    for (String channel : ClusterCounts.COUNT_CHANNELS.values()) {
                        s.execute("LISTEN " + channel);
                    }
                }
                cache.invalidateAll(); // changes made while we were not listening are unknown
                lastAliveNanos = System.nanoTime();
                connected = true;
                signal();
                db.foundAnswering();
                if (backoff != MIN_BACKOFF) {
                    LOG.info("token cache listener reconnected; cache flushed and trusted again");
                    reconnected.run();
                }
                backoff = MIN_BACKOFF;
                listen(c);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                lastProblem = "cache listener connection lost: " + e.getMessage();
                if (connected && e instanceof SQLException sql && fellSilent(sql)) {
                    db.foundAway("the cluster listener's session had no answer within " + STALE_MILLIS + " ms", sql);
                }
                if (connected || backoff == MIN_BACKOFF) {
                    LOG.warn(
                            "token cache listener is down, bypassing the cache until it reconnects: {}",
                            e.getMessage());
                }
            } finally {
                connected = false;
                connection = null;
            }
            cache.invalidateAll();
            pause(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * Whether the session failed because the database did not answer a ping within {@value
     * #STALE_MILLIS} ms: a network fallen silent (a cut without a reset, a frozen proxy), or a
     * database too hung to answer. The node then stops trusting its cache, and the requests it
     * held would ask the database for their tokens, each waiting for a pooled connection that
     * will not answer either; so the node counts the database away at once (and the next request
     * a second finds out whether it is). A false alarm, this JVM pausing for that long, ends as
     * the listener reconnects, within milliseconds.
     */
    private static boolean fellSilent(SQLException e) {
        return Causes.find(e, SocketTimeoutException.class).isPresent();
    }

    /**
     * Opens the listener's session. The listener is the first on the node to lose its session when
     * the database stops, and tries again within {@value #MIN_BACKOFF_MILLIS} ms: a database that
     * then refuses it is away for the whole node at once, rather than when a request has waited
     * the connection timeout for it.
     */
    private Connection connect() throws SQLException {
        try {
            return db.openDedicated(applicationName);
        } catch (SQLException e) {
            db.foundAway("the cluster listener could not connect", e);
            throw e;
        }
    }

    /**
     * The database answers again (the pool found it back): a listener waiting to reconnect, up to
     * {@code MAX_BACKOFF} apart by then, tries at once, so that the node trusts its cache, and is
     * ready, without waiting out that pause.
     */
    void databaseBack() {
        signal();
    }

    /** Waits until the listener is live, at most {@code timeout}; returns whether it is. */
    boolean awaitLive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!isLive() && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                stopped.awaitNanos(left);
            }
            return isLive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return isLive();
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        int self = pg.getBackendPID();
        long lastPing = System.nanoTime();
        long lastShare = lastPing;
        try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            while (running) {
                PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                if (notifications != null) {
                    for (PGNotification n : notifications) {
                        if (CHANNEL.equals(n.getName())) {
                            invalidate(n.getParameter());
                        } else {
                            counts.heard(n.getName(), n.getParameter(), n.getPID() == self);
                        }
                    }
                }
                long now = System.nanoTime();
                if (now - lastShare >= TimeUnit.MILLISECONDS.toNanos(ClusterCounts.SHARE_MILLIS)) {
                    counts.send(notify);
                    lastShare = now;
                }
                if (now - lastPing >= TimeUnit.MILLISECONDS.toNanos(PING_MILLIS)) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT 1");
                    }
                    lastPing = now;
                    lastAliveNanos = System.nanoTime();
                }
            }
        }
    }

    private void invalidate(String payload) {
        if (TokenId.isWellFormed(payload)) {
            cache.invalidate(new TokenId(payload));
        } else {
            cache.invalidateAll();
        }
    }

    private void pause(Duration duration) {
        lock.lock();
        try {
            if (running) {
                stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        running = false;
        signal();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing to stop the poll; nothing to do
            }
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
