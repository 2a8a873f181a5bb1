/**
 * The admin plane: health endpoints now; the REST API, users and the web UI build on it.
 */
package io.tokengate.server.admin;
