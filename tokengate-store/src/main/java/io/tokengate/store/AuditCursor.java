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
    /** Times a cursor may name: those a database stores. A forged one outside them is refused. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

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
            if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
                throw new IllegalArgumentException("outside what the log holds");
            }
            return new AuditCursor(time, Long.parseLong(parts[3]));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalArgumentException(
                    "invalid audit cursor '" + Quote.shorten(cursor) + "': use the nextCursor of a previous page");
        }
    }
}
