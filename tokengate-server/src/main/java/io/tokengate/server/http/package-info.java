/**
 * HTTP pieces shared by the data plane and the admin plane: the JSON error body of DESIGN §5
 * and request ids.
 */
package io.tokengate.server.http;
