/**
 * HTTP pieces shared by the data plane and the admin plane: the JSON error body of DESIGN §5,
 * request ids, {@code Retry-After}, and the server's thread pool.
 */
package io.tokengate.server.http;
