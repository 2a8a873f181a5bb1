/**
 * The canonical view of a request that restrictions are evaluated against. {@link
 * io.tokengate.core.request.CanonicalPath} turns a raw request path into the one unambiguous path
 * that is both matched and forwarded, {@link io.tokengate.core.request.QueryString} reads a query
 * as the upstream will, and {@link io.tokengate.core.request.RequestView} is the port through
 * which the restriction language asks about a request without knowing HTTP or JSON frameworks.
 */
package io.tokengate.core.request;
