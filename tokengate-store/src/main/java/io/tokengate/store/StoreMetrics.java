package io.tokengate.store;

/** Counters for {@code /metrics}; cumulative since start unless named otherwise. */
public record StoreMetrics(
        long cacheHits,
        long cacheMisses,
        long cacheBypassed,
        long cacheSize,
        int auditQueued,
        int auditCapacity,
        long auditWritten,
        long auditWriteFailures,
        long auditDropped,
        int usagePendingTokens) {}
