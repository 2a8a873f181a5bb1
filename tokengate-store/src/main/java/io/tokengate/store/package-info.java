/**
 * The token store and audit log on JDBC: an embedded H2 file database for one node, PostgreSQL for
 * a cluster. The server's single entry point is {@link io.tokengate.store.Store#open(
 * io.tokengate.store.StoreConfig, java.time.Clock)}, which checks the {@link
 * io.tokengate.store.KeyFile}, migrates the schema, and returns an {@code AutoCloseable} that
 * exposes the {@link io.tokengate.core.token.TokenService} (backed by a cache of verified tokens
 * that every node invalidates within a second through PostgreSQL LISTEN/NOTIFY: {@link
 * io.tokengate.store.ClusterListener}; over which the nodes also add up rate-limit use and failed
 * logins: {@link io.tokengate.store.ClusterCounts}, through {@link
 * io.tokengate.store.ClusterSharing}), the {@link io.tokengate.store.AuditWriter} ({@link
 * io.tokengate.core.audit.AuditSink}: bounded, batched, back-pressured), the {@link
 * io.tokengate.core.audit.AuditLog} (queries, exports, retention), the {@link
 * io.tokengate.store.JdbcUserStore}, the admin plane's sessions ({@link
 * io.tokengate.store.JdbcSessionStore}) and its health and counters ({@link
 * io.tokengate.store.StoreStatus}). A database that cannot be reached surfaces as {@link
 * io.tokengate.store.StoreUnavailableException} (answer 503), and everything recovers by itself
 * when it returns.
 */
package io.tokengate.store;
