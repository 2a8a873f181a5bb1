package io.tokengate.store;

import io.tokengate.core.token.TokenId;
import io.tokengate.core.token.UsageSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token usage (count, last time and address) gathered in memory by the request path and written
 * in batches by {@link #flush()}, which {@link Store} runs every second. Recording costs one map
 * update and never waits for the database; memory holds at most one entry per used token. When a
 * write fails, the counts are kept for the next flush.
 */
final class UsageAccumulator implements UsageSink {
    private static final Logger LOG = LoggerFactory.getLogger(UsageAccumulator.class);

    /** Uses of one token since the last flush. */
    record Usage(TokenId id, long count, Instant lastAt, String lastIp) {
        Usage plus(Usage other) {
            boolean otherIsLater = other.lastAt.isAfter(lastAt);
            return new Usage(
                    id,
                    count + other.count,
                    otherIsLater ? other.lastAt : lastAt,
                    otherIsLater ? other.lastIp : lastIp);
        }
    }

    private final ConcurrentHashMap<TokenId, Usage> pending = new ConcurrentHashMap<>();
    private final JdbcTokenRepository repository;
    /**
     * Failed writes since the database last took one: the first of each outage is logged, then
     * every 60th (a minute of flushes). Counted per outage, so that a second outage is logged too.
     */
    private final AtomicLong failures = new AtomicLong();

    UsageAccumulator(JdbcTokenRepository repository) {
        this.repository = repository;
    }

    @Override
    public void recordUse(TokenId id, Instant at, String clientIp) {
        pending.merge(id, new Usage(id, 1, at, clientIp), Usage::plus);
    }

    /** Writes what was gathered; on failure keeps it for the next call. Returns tokens written. */
    int flush() {
        if (pending.isEmpty()) {
            return 0;
        }
        List<Usage> batch = new ArrayList<>();
        for (TokenId id : pending.keySet()) {
            Usage usage = pending.remove(id);
            if (usage != null) {
                batch.add(usage);
            }
        }
        try {
            repository.addUsage(batch);
            if (failures.getAndSet(0) > 0) {
                LOG.info("token usage recorded again: the database accepts it");
            }
            return batch.size();
        } catch (RuntimeException e) {
            batch.forEach(usage -> pending.merge(usage.id(), usage, Usage::plus));
            if (failures.getAndIncrement() % 60 == 0) {
                LOG.warn("cannot record token usage, will retry: {}", e.getMessage());
            }
            return 0;
        }
    }

    int pendingTokens() {
        return pending.size();
    }
}
