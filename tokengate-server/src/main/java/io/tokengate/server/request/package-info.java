/**
 * Requests as the restriction language sees them: {@link io.tokengate.server.request.JsonBody}
 * reads a request body with Jackson into the node texts that {@code [JsonData::…]} conditions
 * match, and {@link io.tokengate.server.request.GatewayRequestView} joins method, public URL,
 * canonical path, query and body into the core's {@code RequestView}.
 */
package io.tokengate.server.request;
