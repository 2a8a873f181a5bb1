package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Typed access to the fields of a JSON request body, where every mistake is a 400 that names the
 * field: an unknown field (usually a typo), a field of the wrong type.
 */
final class BodyFields {
    private final ObjectNode body;

    BodyFields(ObjectNode body, Set<String> known) {
        this.body = body;
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiError.badRequest(name, "unknown field (expected one of " + String.join(", ", known) + ")");
            }
        }
    }

    boolean has(String field) {
        return body.has(field);
    }

    /** Present and explicitly null. */
    boolean isNull(String field) {
        return body.has(field) && body.get(field).isNull();
    }

    /** The text of a string field; empty when absent or null. */
    Optional<String> text(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw ApiError.badRequest(
                    field, "must be a string, got " + node.getNodeType().name().toLowerCase());
        }
        return Optional.of(node.asText());
    }

    /** A string field that must be there. */
    String requiredText(String field) {
        return text(field).orElseThrow(() -> ApiError.badRequest(field, "is required"));
    }

    /** A whole number; empty when absent or null. */
    Optional<Integer> integer(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ApiError.badRequest(field, "must be a whole number, got " + node);
        }
        return Optional.of(node.intValue());
    }

    /**
     * A list of strings given as a JSON array of strings or one comma-separated string, as one
     * comma-separated string; empty when absent or null.
     */
    Optional<String> list(String field) {
        JsonNode node = body.get(field);
        if (node != null && node.isTextual()) {
            return Optional.of(node.asText());
        }
        return strings(field).map(items -> String.join(", ", items));
    }

    /**
     * A list of strings given as a JSON array of strings (each item as it is) or one
     * comma-separated string (split at the commas, blank items dropped); empty when absent or null.
     */
    Optional<List<String>> strings(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return Optional.of(Arrays.stream(node.asText().split(","))
                    .map(String::strip)
                    .filter(item -> !item.isEmpty())
                    .toList());
        }
        if (!node.isArray()) {
            throw ApiError.badRequest(field, "must be an array of strings or one comma-separated string");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw ApiError.badRequest(field, "must be an array of strings, got an item " + item);
            }
            items.add(item.asText());
        }
        return Optional.of(items);
    }

    /** A field's raw JSON; empty when absent. */
    Optional<JsonNode> raw(String field) {
        return Optional.ofNullable(body.get(field));
    }
}
