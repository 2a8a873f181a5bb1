package io.tokengate.store;

import io.tokengate.core.cluster.SharedCounts;
import io.tokengate.core.token.TokenCache;
import io.tokengate.core.token.TokenId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the nodes of a cluster tell each other, over one dedicated PostgreSQL connection per node
 * (LISTEN/NOTIFY). First, token changes: it listens for the notifications the {@code tokens}
 * trigger sends on every committed change, and drops the changed token from this node's cache
 * (within {@value #POLL_MILLIS} ms of the commit, plus network time).
 *
 * <p>It is {@linkplain #isLive() live} only while its session is up and has answered a ping within
 * {@value #STALE_MILLIS} ms, so a silently broken connection counts as lost. While not live the
 * cache is bypassed (fail closed); on reconnecting it listens first, then flushes the whole cache,
 * because notifications sent meanwhile are lost, and only then becomes live again.
 *
 * <p>Second, counts the nodes add up ({@link SharedCounts}): rate-limit use ({@link RateShare}) and
 * failed logins. Every {@value #SHARE_MILLIS} ms it sends what this node counted, and it adds what
 * the others send. What could not be sent while the connection was down is sent once it is back;
 * what the others sent meanwhile is lost, so each node holds tokens to their rate and addresses to
 * their allowance on its own until then.
 *
 * <p>Third, counts to forget ({@link #forget}): a node asks every node, itself included, to forget
 * what they counted under a key (an admin lifting the login throttle of an address). The request
 * is a notification like the counts, committed before the asking node answers, and PostgreSQL
 * hands every listener all notifications in one order: each node forgets the counts reported
 * before the request and keeps those after it, so the nodes agree. A node that is not listening
 * when it is sent (its connection lost) never hears of it: it keeps its count of the key until that
 * runs out on its own, failing closed.
 */
final class ClusterListener implements AutoCloseable {
    static final String CHANNEL = "tokengate_token_changed";
    /** Requests to forget a count: {@code name key}, name one of {@link #COUNT_CHANNELS}. */
    static final String FORGET_CHANNEL = "tokengate_count_forgotten";
    /**
     * The channels of {@link SharedCounts}, by name: rate-limit use, and what each plane counts of
     * failed logins.
     */
    static final Map<String, String> COUNT_CHANNELS = Map.of(
            "rates", "tokengate_rate_used",
            "data", "tokengate_login_failed_data",
            "admin", "tokengate_login_failed_admin");

    static final int POLL_MILLIS = 200;
    /** How often this node tells the others what its rate-limited tokens used. */
    static final int SHARE_MILLIS = 200;
    /**
     * A node cut off from the database by a silent network must stop trusting its cache within
     * the one second in which a revoke elsewhere takes effect: a ping every 250 ms, and 900 ms of
     * silence count as lost. A false alarm (a long GC pause) only bypasses the cache until the
     * next ping; four trivial queries a second per node are the price.
     */
    static final int PING_MILLIS = 250;

    static final int STALE_MILLIS = 900;
    private static final Logger LOG = LoggerFactory.getLogger(ClusterListener.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final Database db;
    private final TokenCache cache;
    private final String applicationName;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition(); // signalled on stop and on connect
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile long lastAliveNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(STALE_MILLIS);
    private volatile Connection connection;
    private volatile String lastProblem = "not connected yet";
    /** The shared counts, by channel. */
    private final Map<String, SharedCounts> counts = new ConcurrentHashMap<>();
    /** Counts drained but not sent yet, by channel and key; listener thread only. */
    private final Map<String, Map<String, Long>> unsentCounts = new LinkedHashMap<>();

    ClusterListener(Database db, TokenCache cache, String nodeId) {
        this.db = db;
        this.cache = cache;
        this.applicationName = "tokengate-listener-" + nodeId;
        this.thread = new Thread(this::run, "tokengate-cache-listener-" + nodeId);
        this.thread.setDaemon(true);
    }

    /**
     * From now on, adds up {@code shared} with the other nodes under {@code name}, one of {@link
     * #COUNT_CHANNELS}.
     */
    void shareCounts(String name, SharedCounts shared) {
        String channel = COUNT_CHANNELS.get(name);
        if (channel == null) {
            throw new IllegalArgumentException("no shared counts named '" + name + "': " + COUNT_CHANNELS.keySet());
        }
        counts.put(channel, shared);
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
            try (Connection c = db.openDedicated(applicationName)) {
                connection = c;
                c.setNetworkTimeout(Runnable::run, STALE_MILLIS); // a silent network fails the ping
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                    s.execute("LISTEN " + FORGET_CHANNEL);
                    for (String channel : COUNT_CHANNELS.values()) {
                        s.execute("LISTEN " + channel);
                    }
                }
                cache.invalidateAll(); // changes made while we were not listening are unknown
                lastAliveNanos = System.nanoTime();
                connected = true;
                signal();
                if (backoff != MIN_BACKOFF) {
                    LOG.info("token cache listener reconnected; cache flushed and trusted again");
                }
                backoff = MIN_BACKOFF;
                listen(c);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                lastProblem = "cache listener connection lost: " + e.getMessage();
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
                        } else if (FORGET_CHANNEL.equals(n.getName())) {
                            forgotten(n.getParameter()); // from this node too: every node in the same order
                        } else if (n.getPID() == self) {
                            continue; // what this node sent itself
                        } else {
                            add(n.getName(), n.getParameter());
                        }
                    }
                }
                long now = System.nanoTime();
                if (now - lastShare >= TimeUnit.MILLISECONDS.toNanos(SHARE_MILLIS)) {
                    share(notify);
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

    private void add(String channel, String payload) {
        SharedCounts shared = counts.get(channel);
        if (shared != null) {
            CountNotice.decode(payload).forEach(shared::addRemote);
        }
    }

    /**
     * Asks every node, this one included, to forget what they counted under {@code key} in each
     * of the counts {@code names}; returns once the request is committed (one transaction for
     * all), to reach them within {@value #POLL_MILLIS} ms.
     *
     * @throws IllegalArgumentException when a name is no counts' or {@code key} cannot be sent
     * @throws StoreUnavailableException when the database does not answer; nobody was asked
     */
    void forget(List<String> names, String key) {
        for (String name : names) {
            if (!COUNT_CHANNELS.containsKey(name)) {
                throw new IllegalArgumentException("no shared counts named '" + name + "': " + COUNT_CHANNELS.keySet());
            }
        }
        if (!CountNotice.isKey(key)) {
            throw new IllegalArgumentException("not a key of shared counts: '" + key + "'");
        }
        db.transaction("asking the cluster's nodes to forget a count", c -> {
            try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                for (String name : names) {
                    notify.setString(1, FORGET_CHANNEL);
                    notify.setString(2, name + " " + key);
                    notify.execute();
                }
            }
            return null;
        });
    }

    /** Forgets what a request to forget names; one that cannot be read is ignored. */
    private void forgotten(String payload) {
        String[] fields = payload.split(" ");
        String channel = fields.length == 2 ? COUNT_CHANNELS.get(fields[0]) : null;
        if (channel == null || !CountNotice.isKey(fields[1])) {
            return;
        }
        SharedCounts shared = counts.get(channel);
        if (shared != null) {
            shared.forget(fields[1]);
        }
        Map<String, Long> unsent = unsentCounts.get(channel);
        if (unsent != null) {
            unsent.remove(fields[1]); // counted before the request: forgotten like the rest
        }
    }

    /** Sends what this node counted since the last time, keeping it if sending fails. */
    private void share(PreparedStatement notify) throws SQLException {
        for (Map.Entry<String, SharedCounts> shared : counts.entrySet()) {
            Map<String, Long> pending = unsentCounts.computeIfAbsent(shared.getKey(), k -> new LinkedHashMap<>());
            shared.getValue().drainLocal().forEach((key, n) -> pending.merge(key, n, Long::sum));
            for (String payload : CountNotice.encode(pending, CountNotice.MAX_PAYLOAD)) {
                notify.setString(1, shared.getKey());
                notify.setString(2, payload);
                notify.execute();
            }
            pending.clear();
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
