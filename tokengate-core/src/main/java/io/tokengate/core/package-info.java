/**
 * tokengate's domain, free of any HTTP, JSON or database framework: token secrets and their
 * digests ({@code token}), the restriction language that limits what a token may call
 * ({@code limits}), and the canonical view of a request that restrictions are evaluated against
 * ({@code request}).
 */
package io.tokengate.core;
