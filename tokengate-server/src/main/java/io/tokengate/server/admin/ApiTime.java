package io.tokengate.server.admin;

import io.tokengate.store.Database;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The one form the admin API takes a time in, whether in a query or in a body. */
final class ApiTime {
    private ApiTime() {}

    /**
     * An ISO-8601 date and time with offset, in the years 1 to 9999 (what databases store); 400
     * otherwise. The message quotes its example: the web UI writes unquoted instants in messages as
     * the reader's locale does, which would turn the example of the form asked for into another.
     */
    static Instant instant(String field, String text) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(
                    field, "'" + text + "' is not an ISO-8601 date and time with offset, like '2027-01-31T12:00:00Z'");
        }
        if (instant.isBefore(Database.EARLIEST_TIME) || instant.isAfter(Database.LATEST_TIME)) {
            throw ApiError.badRequest(field, "'" + text + "' is outside the years 1 to 9999");
        }
        return instant;
    }
}
