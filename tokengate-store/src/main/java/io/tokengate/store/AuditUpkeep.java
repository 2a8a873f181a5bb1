package io.tokengate.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log's upkeep, which the store runs on its schedule: retention (records older than
 * {@code audit.retention.days} deleted every {@link #RETENTION_PERIOD}) and adopting the records
 * that nodes of an older version wrote without spans (every {@link #STRAYS_PERIOD}). The quiet
 * variants log a failure and leave the retry to the next run.
 */
final class AuditUpkeep {
    /** The store's: log settings that name it keep covering these messages. */
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    static final Duration RETENTION_PERIOD = Duration.ofHours(1);
    static final Duration STRAYS_PERIOD = Duration.ofMinutes(1);

    private final JdbcAuditLog auditLog;
    private final int retentionDays;
    private final Clock clock;

    AuditUpkeep(JdbcAuditLog auditLog, int retentionDays, Clock clock) {
        this.auditLog = auditLog;
        this.retentionDays = retentionDays;
        this.clock = clock;
    }

    /** See {@link Store#runRetention()}. */
    long runRetention() {
        if (retentionDays == 0) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(Duration.ofDays(retentionDays));
        long deleted = auditLog.deleteOlderThan(cutoff);
        if (deleted > 0) {
            LOG.info("audit retention: deleted {} records older than {}", deleted, cutoff);
        }
        return deleted;
    }

    void retentionQuietly() {
        try {
            runRetention();
        } catch (RuntimeException e) {
            LOG.warn("audit retention failed, will retry: {}", e.getMessage());
        }
    }

    /**
     * Makes records that a node of an older version wrote without spans visible to listings (see
     * {@link JdbcAuditLog#adoptStrays()}). Finding any means a node was not upgraded: said loudly,
     * since its records show up only a minute or two late.
     */
    void adoptStraysQuietly() {
        try {
            long adopted = auditLog.adoptStrays();
            if (adopted > 0) {
                LOG.warn(
                        "{} audit records from a node of an older version were not listed and now are;"
                                + " upgrade every node (until then its records are listed a minute or two late)",
                        adopted);
            }
        } catch (RuntimeException e) {
            LOG.warn("listing the audit records of older nodes failed, will retry: {}", e.getMessage());
        }
    }
}
