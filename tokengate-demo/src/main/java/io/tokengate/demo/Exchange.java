package io.tokengate.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** One request being answered: what arrived, who sent it, and how to answer. */
final class Exchange {
    static final String JSON = "application/json;charset=UTF-8";

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final ReceivedRequest received;
    private final List<String> path;
    private final Map<String, List<String>> query;
    private final JiraJson json;

    Exchange(
            Request request,
            Response response,
            Callback callback,
            ReceivedRequest received,
            List<String> path,
            Map<String, List<String>> query,
            JiraJson json) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.received = received;
        this.path = path;
        this.query = query;
        this.json = json;
    }

    Request request() {
        return request;
    }

    Response response() {
        return response;
    }

    Callback callback() {
        return callback;
    }

    ReceivedRequest received() {
        return received;
    }

    String method() {
        return received.method();
    }

    /** The decoded path segments below the context path, e.g. {@code [rest, api, 2, myself]}. */
    List<String> path() {
        return path;
    }

    String segment(int index) {
        return path.get(index);
    }

    /** The first value of query parameter {@code name}. */
    Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The effective user's name; routed requests always have one. */
    String user() {
        return received.effectiveUser();
    }

    JiraJson json() {
        return json;
    }

    /** The body as a JSON object, or empty if it is not one. */
    Optional<JsonNode> jsonObjectBody() {
        if (received.bodyTruncated()) {
            return Optional.empty();
        }
        try {
            JsonNode node = JiraJson.MAPPER.readTree(received.body());
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    void respond(int status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = JiraJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JsonNode always serialises", e);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** Answers with Jira's error shape and one message. */
    void fail(int status, String message) {
        respond(status, JiraJson.error(message));
    }
}
