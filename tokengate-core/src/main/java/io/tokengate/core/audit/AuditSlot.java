package io.tokengate.core.audit;

/**
 * Queue capacity reserved for one audit record by {@link AuditSink#reserve}. Call {@link
 * #submit(AuditEvent)} exactly once; it never blocks and never fails for lack of room, because the
 * room was taken when the slot was reserved.
 *
 * <p>{@link #close()} after a submit does nothing; without one it gives the room back and reports
 * the lost record, so a {@code try}-with-resources block cannot leak capacity when the request
 * path fails before it could submit.
 */
public interface AuditSlot extends AutoCloseable {
    /**
     * Queues {@code event} for writing.
     *
     * @throws IllegalStateException when this slot was already used or closed
     */
    void submit(AuditEvent event);

    /** Releases the room if nothing was submitted; idempotent. */
    @Override
    void close();
}
