/**
 * The data plane: a reverse proxy in front of Jira that lets a request through only with a valid
 * token whose restrictions allow exactly the request that is forwarded. {@link
 * io.tokengate.server.gateway.GatewayHandler} runs the checks in a fixed order (screen framing and
 * headers, canonicalize, endpoint, credentials; then {@code CallerCheck}: throttling, token, client
 * IP, run-as, rate limit; then {@code RestrictionCheck}: restrictions), audits every request that
 * presents credentials, answers every refusal through {@code Refusals}, and hands allowed requests
 * through {@code Forwarder} to {@link io.tokengate.server.gateway.UpstreamProxy}, which forwards
 * the canonical request with the configured upstream identity and streams the response back.
 */
package io.tokengate.server.gateway;
