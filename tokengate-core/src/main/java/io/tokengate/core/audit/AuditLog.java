package io.tokengate.core.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/** Port: reading the audit log back, for admins and for users' own records. */
public interface AuditLog {
    AuditPage query(AuditQuery query);

    /**
     * Writes every record matching {@code query}'s filters (from its cursor on, ignoring its limit)
     * to {@code out}, newest first, streaming: memory use does not grow with the number of records.
     * Does not close {@code out}.
     */
    void export(AuditQuery query, AuditExportFormat format, OutputStream out) throws IOException;

    /** Deletes records older than {@code cutoff}; returns how many. */
    long deleteOlderThan(Instant cutoff);
}
