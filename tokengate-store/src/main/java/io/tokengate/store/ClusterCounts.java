package io.tokengate.store;

import io.tokengate.core.cluster.SharedCounts;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counts the nodes of a cluster add up ({@link SharedCounts}): rate-limit use ({@link
 * RateShare}) and failed logins, carried by the notifications of the {@link ClusterListener}'s
 * session, which calls {@link #send} every {@value #SHARE_MILLIS} ms and hands every notification
 * on these channels to {@link #heard}. What could not be sent while the connection was down is
 * sent once it is back; what the others sent meanwhile is lost, so each node holds tokens to their
 * rate and addresses to their allowance on its own until then.
 *
 * <p>Counts to forget ({@link #forget}): a node asks every node, itself included, to forget what
 * they counted under a key (an admin lifting the login throttle of an address). The request is a
 * notification like the counts, committed before the asking node answers, and PostgreSQL hands
 * every listener all notifications in one order: each node forgets the counts reported before the
 * request and keeps those after it, so the nodes agree. A node that is not listening when it is
 * sent (its connection lost) never hears of it: it keeps its count of the key until that runs out
 * on its own, failing closed.
 *
 * <p>{@link #send} and {@link #heard} run on the listener's thread only; {@link #shareCounts} and
 * {@link #forget} on any.
 */
final class ClusterCounts {
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

    /** How often this node tells the others what it counted. */
    static final int SHARE_MILLIS = 200;

    private final Database db;
    /** The shared counts, by channel. */
    private final Map<String, SharedCounts> counts = new ConcurrentHashMap<>();
    /** Counts drained but not sent yet, by channel and key; listener thread only. */
    private final Map<String, Map<String, Long>> unsentCounts = new LinkedHashMap<>();

    ClusterCounts(Database db) {
        this.db = db;
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

    /**
     * Handles a notification on one of these channels: a request to forget (from any node, this
     * one too, so that every node forgets at the same point of one order), or what another node
     * counted; what this node sent itself ({@code fromSelf}) is not added again.
     */
    void heard(String channel, String payload, boolean fromSelf) {
        if (FORGET_CHANNEL.equals(channel)) {
            forgotten(payload);
        } else if (!fromSelf) {
            add(channel, payload);
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
     * all), to reach them within {@value ClusterListener#POLL_MILLIS} ms.
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

    /**
     * Sends what this node counted since the last time through {@code notify} ({@code SELECT
     * pg_notify(?, ?)} on the listener's session), keeping it if sending fails.
     */
    void send(PreparedStatement notify) throws SQLException {
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
}
