package io.tokengate.store;

import java.time.Clock;
import java.time.Duration;

/**
 * The audit log's part of the store: the log in the database, the writer that batches records into
 * it off the request path (keeping in files, under the home, what a stop could not write), and the
 * log's upkeep (retention, stray records adopted).
 */
final class StoreAudit {
    /** When the first retention pass runs, after the start; then every hour. */
    private static final Duration FIRST_RETENTION = Duration.ofMinutes(1);

    private final JdbcAuditLog log;
    private final AuditSpill spill;
    private final AuditWriter writer;
    private final AuditUpkeep upkeep;
    private final int retentionDays;

    StoreAudit(Database db, StoreConfig config, Clock clock) {
        this.log = new JdbcAuditLog(db);
        this.spill = new AuditSpill(AuditSpill.directory(config.home()), config.nodeId(), clock);
        this.writer = new AuditWriter(
                log.inserts()::insert,
                config.auditQueueCapacity(),
                config.auditBatchSize(),
                config.auditFlushInterval(),
                config.auditCloseTimeout(),
                config.nodeId(),
                Runtime.getRuntime().maxMemory() / 4,
                spill);
        this.upkeep = new AuditUpkeep(log, config.auditRetentionDays(), clock);
        this.retentionDays = config.auditRetentionDays();
    }

    JdbcAuditLog log() {
        return log;
    }

    AuditWriter writer() {
        return writer;
    }

    /** Writes into the database the records an earlier stop kept in files. */
    void writeKept() {
        spill.writeAll(log.inserts());
    }

    /** Runs retention (when {@code audit.retention.days} is set) and the adoption of strays from now on. */
    void scheduleUpkeep(ScheduledWork scheduled) {
        if (retentionDays > 0) {
            scheduled.every(FIRST_RETENTION, AuditUpkeep.RETENTION_PERIOD, upkeep::retentionQuietly);
        }
        scheduled.every(AuditUpkeep.STRAYS_PERIOD, AuditUpkeep.STRAYS_PERIOD, upkeep::adoptStraysQuietly);
    }

    /** See {@link Store#runRetention()}. */
    long runRetention() {
        return upkeep.runRetention();
    }
}
