package io.tokengate.store;

import io.tokengate.core.audit.AuditEvent;
import io.tokengate.core.token.TokenId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code audit_batches}: where one batch holds the records of one subject in one minute
 * of event time. The records table has no index but its primary key; a listing reads spans of
 * its subject newest first, then the records in each span's id range.
 *
 * <p>A span never covers more than one minute ({@link #minute()}), so a span whose earliest record
 * is at or before some time {@code t} ends before {@code t} plus a minute: a listing behind a
 * cursor reads spans from there, not from the newest.
 *
 * @param subject {@link #ALL}, {@link #token(TokenId)} or {@link #user(String)}
 * @param maxTime the latest record's time
 * @param batch the batch number
 * @param minTime the earliest record's time
 * @param firstId the lowest id among the span's records
 * @param lastId the highest
 */
record AuditSpan(String subject, Instant maxTime, long batch, Instant minTime, long firstId, long lastId) {
    /** The subject of every record. */
    static final String ALL = "*";
    /** Ids of one batch: {@code batch << ID_BITS} and up, so a batch holds at most 2^20 records. */
    static final int ID_BITS = 20;

    static final int MAX_BATCH = 1 << ID_BITS;
    /**
     * The first batch number (the sequence starts there), whose first id is 2^40: ids below it
     * came from the identity column, written by versions before the batch layout.
     */
    static final long FIRST_BATCH = 1L << 20;

    static final long FIRST_ID = FIRST_BATCH << ID_BITS;
    /** The most event time one span covers: a minute, from the start of a minute. */
    static final Duration LENGTH = Duration.ofMinutes(1);

    static String token(TokenId id) {
        return "t:" + id.value();
    }

    /** The subject of a user, Basic or effective; user names compare case-insensitively. */
    static String user(String name) {
        return "u:" + Jdbc.userKey(name);
    }

    /** The id of the {@code index}th record of {@code batch}. */
    static long id(long batch, int index) {
        return (batch << ID_BITS) + index;
    }

    /** The start of the minute holding {@code time}. */
    static Instant minuteOf(Instant time) {
        long seconds = LENGTH.getSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(time.getEpochSecond(), seconds) * seconds);
    }

    /** The minute this span covers: its records' times lie from this instant to a minute later. */
    Instant minute() {
        return minuteOf(minTime);
    }

    /**
     * The spans of one batch whose records, in this order, take the ids {@code id(batch, 0)} and
     * up. Records in time order give each minute its own run of ids.
     */
    static List<AuditSpan> of(long batch, List<AuditEvent> records) {
        Map<Key, Builder> spans = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            AuditEvent e = records.get(i);
            long id = id(batch, i);
            Instant minute = minuteOf(e.time());
            for (String subject : subjects(e)) {
                spans.computeIfAbsent(new Key(subject, minute), k -> new Builder(k.subject(), batch))
                        .add(id, e.time());
            }
        }
        List<AuditSpan> built = new ArrayList<>(spans.size());
        for (Builder b : spans.values()) {
            built.add(b.build());
        }
        return built;
    }

    /** Every subject a listing may find this record by. */
    private static List<String> subjects(AuditEvent e) {
        List<String> subjects = new ArrayList<>(4);
        subjects.add(ALL);
        if (e.tokenId() != null) {
            subjects.add(token(e.tokenId()));
        }
        if (e.basicUser() != null) {
            subjects.add(user(e.basicUser()));
        }
        if (e.effectiveUser() != null) {
            String effective = user(e.effectiveUser());
            if (!subjects.contains(effective)) {
                subjects.add(effective);
            }
        }
        return subjects;
    }

    private record Key(String subject, Instant minute) {}

    private static final class Builder {
        private final String subject;
        private final long batch;
        private long firstId = Long.MAX_VALUE;
        private long lastId = Long.MIN_VALUE;
        private Instant minTime;
        private Instant maxTime;

        Builder(String subject, long batch) {
            this.subject = subject;
            this.batch = batch;
        }

        void add(long id, Instant time) {
            firstId = Math.min(firstId, id);
            lastId = Math.max(lastId, id);
            minTime = minTime == null || time.isBefore(minTime) ? time : minTime;
            maxTime = maxTime == null || time.isAfter(maxTime) ? time : maxTime;
        }

        AuditSpan build() {
            return new AuditSpan(subject, maxTime, batch, minTime, firstId, lastId);
        }
    }
}
