package io.tokengate.core.cluster;

import java.util.Map;

/**
 * Counts that the nodes of a cluster add up together, such as failed logins per client address:
 * each node reports what it counted since it last reported, and adds what the others report. No
 * caller waits for this; the nodes hear of each other within a fraction of a second.
 */
public interface SharedCounts {
    /**
     * What this node counted since the last call, per key; forgets it. A key is at most {@value
     * #MAX_KEY} characters, without spaces or {@code ;}.
     */
    Map<String, Long> drainLocal();

    /** Adds what another node counted under {@code key}. */
    void addRemote(String key, long count);

    /**
     * Forgets what was counted under {@code key}, here and by every node, as one of the nodes
     * asked (an admin lifting the login throttle of an address). What this node counted and has
     * not reported yet is forgotten too, so that every node forgets the same counts: those
     * reported before the request to forget reached it. Counts that are never forgotten on
     * request (rate-limit use) ignore it.
     */
    default void forget(String key) {}

    int MAX_KEY = 100;
}
