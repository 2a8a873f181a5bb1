package io.tokengate.server.admin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.time.Instant;

/** The admin API's JSON: one configured mapper, and the few conversions every resource needs. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** ISO-8601 in UTC, or JSON null. */
    static JsonNode instant(Instant instant) {
        return instant == null ? MAPPER.nullNode() : TextNode.valueOf(instant.toString());
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * The request body as a JSON object; 400 naming the problem and where it is otherwise. The
     * message never quotes the body: a password or credential left unquoted is exactly what a
     * parser would quote, and the message goes to the client and into the audit record.
     */
    static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw ApiError.badRequest(null, "the request needs a JSON object body");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(null, "the body is not valid JSON (" + problem(e) + where(e) + ")");
        } catch (IOException e) {
            throw ApiError.badRequest(null, "the body cannot be read as JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest(null, "the body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static String problem(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (e instanceof StreamConstraintsException) {
            return "too deeply nested or too long";
        }
        if (e instanceof JsonEOFException) {
            return "it ends too early";
        }
        if (message.startsWith("Duplicate field")) {
            return "a key appears twice in one object";
        }
        if (message.startsWith("Trailing token")) {
            return "something follows the JSON value";
        }
        return "unexpected text, such as a string without quotes";
    }

    private static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
}
