/**
 * The audit log's domain: {@link io.tokengate.core.audit.AuditEvent}, one record of a data-plane
 * request or admin action that can never carry a secret; the {@link
 * io.tokengate.core.audit.AuditSink} port, whose reserve-then-submit protocol lets the request path
 * apply back-pressure instead of losing records; and the {@link io.tokengate.core.audit.AuditLog}
 * port for queries with cursor paging and streaming exports.
 */
package io.tokengate.core.audit;
