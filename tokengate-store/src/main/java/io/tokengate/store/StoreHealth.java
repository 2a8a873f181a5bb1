package io.tokengate.store;

/**
 * The store's health for {@code /health/ready}: ready means tokens can be verified safely and
 * audit records can be queued.
 *
 * @param databaseReachable the database answered a ping just now
 * @param listener the state of the cluster cache listener
 * @param problem what is wrong, for humans; empty when ready
 * @param auditFull no room for another audit record: the queue's count or memory bound is reached
 * @param auditFailing audit records cannot be written now (a full disk, say, while a ping still
 *     answers; or a write that has had no answer for seconds, on a network fallen silent): they
 *     wait in memory, and the queue fills
 */
public record StoreHealth(
        boolean databaseReachable, Listener listener, String problem, boolean auditFull, boolean auditFailing) {
    /** The cluster cache listener: needed only with PostgreSQL. */
    public enum Listener {
        /** Embedded H2: one node, nothing to listen to. */
        NOT_NEEDED,
        LIVE,
        /** Lost: cached tokens are bypassed until it reconnects. */
        DOWN
    }

    public boolean ready() {
        return databaseReachable && listener != Listener.DOWN && !auditFull && !auditFailing;
    }
}
