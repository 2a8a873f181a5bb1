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

    int MAX_KEY = 100;
}
