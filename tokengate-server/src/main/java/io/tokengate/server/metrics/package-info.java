/**
 * Prometheus metrics at {@code /metrics} on the admin plane: requests by decision and status,
 * gateway overhead and upstream latency histograms, the audit queue, the token cache, the JVM.
 */
package io.tokengate.server.metrics;
