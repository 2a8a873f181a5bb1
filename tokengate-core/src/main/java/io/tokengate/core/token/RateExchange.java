package io.tokengate.core.token;

import java.util.List;

/**
 * How the nodes of a cluster hold a token to its {@link RateLimit} together. Each node counts the
 * requests it lets through against its own buckets, tells the others a few times a second how
 * many it let through per token ({@link #drainLocal()}), and counts theirs as if it had let them
 * through itself ({@link #chargeRemote(Use)}).
 *
 * <p>No request waits for this. A token whose requests are spread over n nodes can go over its rate
 * only by what each node lets through before it hears of the others, a bucket each at most; it is
 * then held back until it is within its rate again, so over a period it gets its rate.
 */
public interface RateExchange {
    /**
     * Requests of one token let through on one node.
     *
     * @param limit the token's rate limit as that node knew it
     * @param requests how many, at least 1
     */
    record Use(TokenId id, RateLimit limit, long requests) {
        public Use {
            if (requests < 1) {
                throw new IllegalArgumentException("requests must be at least 1, not " + requests);
            }
        }
    }

    /** The requests this node let through since the last call, one {@link Use} per token; forgets them. */
    List<Use> drainLocal();

    /** Counts requests that another node let through against this node's bucket for the token. */
    void chargeRemote(Use use);
}
