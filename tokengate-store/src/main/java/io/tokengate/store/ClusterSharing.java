package io.tokengate.store;

import io.tokengate.core.cluster.SharedCounts;
import io.tokengate.core.token.RateExchange;
import java.util.List;

/**
 * What this node shares with the other nodes on its PostgreSQL database, beyond the token cache's
 * invalidations: the use of rate-limited tokens, and failed logins and their lifts. The work is
 * {@link ClusterCounts}'; this is the store's face for it. With H2 there is one node and nothing to
 * share: every call does nothing.
 */
public final class ClusterSharing {
    /** Null with H2. */
    private final ClusterCounts counts;

    ClusterSharing(ClusterCounts counts) {
        this.counts = counts;
    }

    /**
     * Holds rate-limited tokens to their rate across the cluster: the nodes on this PostgreSQL
     * database tell each other what {@code exchange} let through (see {@link RateExchange}). With
     * H2 there is one node and nothing to exchange.
     */
    public void shareRateLimits(RateExchange exchange) {
        if (counts != null) {
            counts.shareCounts("rates", new RateShare(exchange));
        }
    }

    /**
     * Adds up {@code failures} with the other nodes on this PostgreSQL database, so that a client
     * address is throttled for the failed logins it made on any of them. {@code plane} is {@code
     * data} or {@code admin}. With H2 there is one node and nothing to share.
     */
    public void shareLoginFailures(String plane, SharedCounts failures) {
        if (counts != null) {
            counts.shareCounts(plane, failures);
        }
    }

    /**
     * Lifts the login throttle of {@code address} on {@code planes} ({@code data}, {@code admin})
     * on every node of this PostgreSQL database: each forgets the address's failed logins (see
     * {@link SharedCounts#forget}) within a fraction of a second. The caller forgets them on this
     * node itself, at once. With H2 there is one node and no other to tell.
     *
     * @return whether other nodes were told: false with H2
     * @throws StoreUnavailableException when the database does not answer; no node was told
     */
    public boolean forgetLoginFailures(List<String> planes, String address) {
        if (counts == null) {
            return false;
        }
        counts.forget(planes, address);
        return true;
    }
}
