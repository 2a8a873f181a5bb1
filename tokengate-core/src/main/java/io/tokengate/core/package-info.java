/**
 * tokengate's domain, free of any HTTP, JSON or database framework: token secrets and their
 * digests and the token lifecycle ({@code token}), the restriction language that limits what a
 * token may call ({@code limits}), the canonical view of a request that restrictions are evaluated
 * against ({@code request}), and audit records with the ports that write and read them
 * ({@code audit}).
 */
package io.tokengate.core;
