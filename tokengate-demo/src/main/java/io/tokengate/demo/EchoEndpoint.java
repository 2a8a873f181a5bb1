package io.tokengate.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * {@code ANY /rest/api/2/echo/**}: the request as the demo received it, so that a test talking to
 * the gateway can see what the gateway forwarded: method, raw path and query, headers in order,
 * the body in base64 with its length and SHA-256, and the effective user.
 */
final class EchoEndpoint implements Endpoint {
    @Override
    public void handle(Exchange exchange) {
        ReceivedRequest received = exchange.received();
        ObjectNode echo = JiraJson.MAPPER.createObjectNode();
        echo.put("method", received.method());
        echo.put("path", received.rawPath());
        echo.put("query", received.rawQuery());
        ArrayNode headers = echo.putArray("headers");
        received.headers()
                .forEach(h -> headers.addObject().put("name", h.name()).put("value", h.value()));
        echo.put("body", Base64.getEncoder().encodeToString(received.body()));
        echo.put("bodyLength", received.bodyLength());
        echo.put("bodyTruncated", received.bodyTruncated());
        echo.put("bodySha256", received.bodySha256());
        echo.put("user", received.effectiveUser());
        exchange.respond(200, echo);
    }
}
