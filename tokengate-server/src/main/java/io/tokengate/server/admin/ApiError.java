package io.tokengate.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokengate.core.TokengateException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An admin API request that ends in an error response: the status, a message for people, and
 * where it helps the request field at fault and a list of problems (limits with line and
 * column). Written by {@link ApiHandler} as the JSON error body of DESIGN §5, extended by {@code
 * field}, {@code problems} and {@code errors}, every field at fault (a form marks each of them).
 */
final class ApiError extends TokengateException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String field;
    private final transient JsonNode problems;
    private final transient List<ApiError> fields;

    ApiError(int status, String message, String field, JsonNode problems) {
        super(message);
        this.status = status;
        this.field = field;
        this.problems = problems;
        this.fields = status == 400 && field != null ? List.of(this) : List.of();
    }

    /**
     * Several fields at fault, found together: the first one's field and problems (what clients
     * before {@code errors} show), a message that names them all.
     */
    private ApiError(List<ApiError> fields) {
        super(fields.stream().map(ApiError::getMessage).collect(Collectors.joining("; ")));
        this.status = 400;
        this.field = fields.get(0).field;
        this.problems = fields.get(0).problems;
        this.fields = List.copyOf(fields);
    }

    /** One field's error as it is; several as one error that carries each. */
    static ApiError ofFields(List<ApiError> fields) {
        if (fields.isEmpty() || fields.stream().anyMatch(f -> f.status != 400 || f.field == null)) {
            throw new IllegalArgumentException("field errors need a field and status 400 each: " + fields);
        }
        return fields.size() == 1 ? fields.get(0) : new ApiError(fields);
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

    /**
     * Every field at fault in a 400, each an error of its own: this one alone, or none when the
     * error is about no field or is no 400.
     */
    List<ApiError> fields() {
        return fields;
    }

    /** What is wrong with {@link #field()}, without the field's name that the message starts with. */
    String reason() {
        String message = getMessage();
        String prefix = field + ": ";
        return field != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
