package io.tokengate.store;

import io.tokengate.core.request.Quote;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page of the audit log ended: the last record's time and row id. Records are ordered by
 * (time, id) descending, so the next page starts strictly below this pair, which makes paging
 * stable while records are being added. Encoded as opaque URL-safe text.
 */
record AuditCursor(Instant time, long id) {
    private static final String VERSION = "a1";

    String encode() {
        String plain = VERSION + ":" + time.getEpochSecond() + ":" + time.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    static AuditCursor decode(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            String[] parts = plain.split(":");
            if (parts.length != 4 || !parts[0].equals(VERSION)) {
                throw new IllegalArgumentException("wrong shape");
            }
            Instant time = Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            if (time.isBefore(Database.EARLIEST_TIME) || time.isAfter(Database.LATEST_TIME)) {
                throw new IllegalArgumentException("outside what the log holds"); // a forged cursor
            }
            return new AuditCursor(time, Long.parseLong(parts[3]));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalArgumentException(
                    "invalid audit cursor '" + Quote.shorten(cursor) + "': use the nextCursor of a previous page");
        }
    }
}
