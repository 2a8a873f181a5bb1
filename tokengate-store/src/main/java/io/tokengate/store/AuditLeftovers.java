package io.tokengate.store;

import io.tokengate.core.audit.AuditEvent;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the records go that the database has not taken when the {@link AuditWriter} stops: to its
 * {@link AuditWriter.Spill} (a file the next start writes to the audit log), or, when that fails,
 * to the log, each in full, so that the log keeps what the audit log could not. Secrets are
 * redacted in every {@link AuditEvent} already. The writer's loop ({@link AuditWriterLoop}) counts what was kept and what was lost.
 */
final class AuditLeftovers {
    /** The writer's: log settings that name it keep covering these messages. */
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

    private final AuditWriter.Spill spill;

    AuditLeftovers(AuditWriter.Spill spill) {
        this.spill = spill;
    }

    /**
     * Keeps {@code left}; {@code failure} is why the database did not take them.
     *
     * @return whether the spill kept them; when false, they are only in the log
     */
    boolean keep(List<AuditEvent> left, String failure) {
        try {
            Object where = spill.keep(left);
            LOG.error(
                    "audit writer stopped with {} records unwritten (database unavailable: {}); they are kept in {}"
                            + " and written to the audit log at the next start",
                    left.size(),
                    failure,
                    where);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error(
                    "audit writer stopped with {} records unwritten (database unavailable: {}) and cannot keep them"
                            + " in a file ({}); each follows in full, so that the log keeps what the audit log could"
                            + " not",
                    left.size(),
                    failure,
                    e.toString());
            for (AuditEvent event : left) {
                LOG.error("unwritten audit record: {}", event);
            }
            return false;
        }
    }

    /**
     * Logs in full the batch a writer stuck in a database call holds, which may yet be written or
     * not when the database answers.
     */
    static void logInFlight(List<AuditEvent> held) {
        if (held.isEmpty()) {
            return;
        }
        LOG.error(
                "the audit writer is still waiting for the database with {} records, which may or may not be"
                        + " written when it answers; each follows in full",
                held.size());
        for (AuditEvent event : held) {
            LOG.error("audit record being written: {}", event);
        }
    }
}
