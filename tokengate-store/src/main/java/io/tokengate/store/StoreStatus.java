package io.tokengate.store;

import java.time.Duration;

/**
 * What an operator watches of the store: its health for {@code /health/ready} and its counters for
 * {@code /metrics}. Both are read when asked, from the parts that keep them; nothing here runs on
 * the request path.
 */
public final class StoreStatus {
    private final Database db;
    /** Null with H2. */
    private final ClusterListener listener;

    private final AuditWriter auditWriter;
    private final CaffeineTokenCache cache;
    private final UsageAccumulator usage;

    StoreStatus(
            Database db,
            ClusterListener listener,
            AuditWriter auditWriter,
            CaffeineTokenCache cache,
            UsageAccumulator usage) {
        this.db = db;
        this.listener = listener;
        this.auditWriter = auditWriter;
        this.cache = cache;
        this.usage = usage;
    }

    /** Pings the database (up to 1 s); for {@code /health/ready}, never for the request path. */
    public StoreHealth health() {
        boolean reachable = db.ping(Duration.ofSeconds(1));
        StoreHealth.Listener state = listener == null
                ? StoreHealth.Listener.NOT_NEEDED
                : listener.isLive() ? StoreHealth.Listener.LIVE : StoreHealth.Listener.DOWN;
        StringBuilder problem = new StringBuilder();
        if (!reachable) {
            problem.append("database unreachable (").append(db.describe()).append("); ");
        }
        if (state == StoreHealth.Listener.DOWN) {
            problem.append(listener.problem()).append(" (token cache bypassed); ");
        }
        boolean auditFull = auditWriter.full();
        if (auditFull) {
            problem.append("audit queue full; ");
        }
        boolean auditFailing = auditWriter.failing();
        if (auditFailing) {
            problem.append(
                    auditWriter.stalled()
                            ? "an audit write has had no answer for over " + AuditBatchWriter.STALLED_SECONDS + " s; "
                            : "audit records cannot be written; ");
        }
        return new StoreHealth(reachable, state, problem.toString().replaceAll("; $", ""), auditFull, auditFailing);
    }

    public StoreMetrics metrics() {
        return new StoreMetrics(
                cache.hits(),
                cache.misses(),
                cache.bypassed(),
                cache.size(),
                auditWriter.queued(),
                auditWriter.capacity(),
                auditWriter.written(),
                auditWriter.writeFailures(),
                auditWriter.dropped(),
                usage.pendingTokens());
    }
}
