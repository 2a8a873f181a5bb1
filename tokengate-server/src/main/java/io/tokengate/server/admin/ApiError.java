package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.core.TokengateException;

/**
 * An admin API request that ends in an error response: the status, a message for people, and
 * where it helps the request field at fault and a list of problems (limits with line and
 * column). Written by {@link ApiHandler} as the JSON error body of DESIGN §5, extended by {@code
 * field} and {@code problems}.
 */
final class ApiError extends TokengateException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String field;
    private final transient JsonNode problems;

    ApiError(int status, String message, String field, JsonNode problems) {
        super(message);
        this.status = status;
        this.field = field;
        this.problems = problems;
    }

    static ApiError badRequest(String field, String message) {
        return new ApiError(400, field == null ? message : field + ": " + message, field, null);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message, null, null);
    }

    static ApiError forbidden(String field, String message) {
        return new ApiError(403, message, field, null);
    }

    static ApiError conflict(String message) {
        return new ApiError(409, message, null, null);
    }

    int status() {
        return status;
    }

    /** The request field at fault, as the API spells it; null when not about one field. */
    String field() {
        return field;
    }

    /** Details such as limits problems; null when none. */
    JsonNode problems() {
        return problems;
    }
}
