package io.tokengate.core.audit;

import java.time.Duration;
import java.util.Optional;

/**
 * Port: where audit records go. Designed for a request path that must never lose a record: the
 * data plane reserves room <em>before</em> it forwards a request and answers 503 instead of
 * forwarding when no room can be had. The queue behind it is bounded; nothing is silently dropped:
 * the requests turned away for want of room are {@linkplain #refused counted}, and summed up in a
 * record of their own once there is room again.
 */
public interface AuditSink {
    /**
     * Reserves room for one record, waiting at most {@code maxWait} for the writer to make some.
     *
     * @return empty when the queue stayed full (back-pressure) or the sink is closing
     */
    Optional<AuditSlot> reserve(Duration maxWait);

    /**
     * Queues one record, blocking while the queue is full, up to a limit of the sink's choosing.
     * For admin actions, which are rare and may wait.
     *
     * @throws io.tokengate.core.TokengateException when no room could be had within that limit
     */
    void record(AuditEvent event);

    /**
     * Waits until every record queued before this call is written to the audit log, at most {@code
     * timeout}; the records stay queued when it passes. An admin action answers only after its
     * record is written, so that a process killed right after answering (SIGKILL, OOM) has not
     * lost the record of a token created, rotated, revealed or revoked.
     *
     * @return whether they were written in time
     */
    boolean awaitWritten(Duration timeout);

    /**
     * Counts a request turned away because {@link #reserve} found no room, with the record it
     * would have had. Never waits, and holds a bounded summary whatever the number of requests.
     */
    void refused(AuditEvent event);
}
