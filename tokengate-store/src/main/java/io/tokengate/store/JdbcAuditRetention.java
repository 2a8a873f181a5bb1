package io.tokengate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The audit log's upkeep in SQL: deleting records older than a cutoff, span by span in bounded
 * transactions, and giving spans to the records that nodes of an older version wrote without
 * them. {@link AuditUpkeep} runs both on the store's schedule.
 */
final class JdbcAuditRetention {
    private static final int SPANS_PER_DELETE = 1000;
    /** Spans of all records whose old records one retention transaction deletes: some 10 000. */
    private static final int RETENTION_SPANS = 10;
    /** Spans for the records with ids in (?, ?], four times over, as one batch (the first ?). */
    private static final String ADOPT_STRAYS = "INSERT INTO audit_batches (" + JdbcAuditLog.SPAN_COLUMNS + ")"
            + " SELECT subject, MAX(event_time), CAST(? AS BIGINT), MIN(event_time), MIN(id), MAX(id) FROM ("
            + " SELECT '*' AS subject, DATE_TRUNC('MINUTE', event_time) AS of_minute, id, event_time"
            + " FROM audit_events WHERE id > ? AND id <= ?"
            + " UNION ALL SELECT 't:' || token_id, DATE_TRUNC('MINUTE', event_time), id, event_time"
            + " FROM audit_events WHERE id > ? AND id <= ? AND token_id IS NOT NULL"
            + " UNION ALL SELECT 'u:' || basic_user_key, DATE_TRUNC('MINUTE', event_time), id, event_time"
            + " FROM audit_events WHERE id > ? AND id <= ? AND basic_user_key IS NOT NULL"
            + " UNION ALL SELECT 'u:' || effective_user_key, DATE_TRUNC('MINUTE', event_time), id, event_time"
            + " FROM audit_events WHERE id > ? AND id <= ? AND effective_user_key IS NOT NULL"
            + " AND (basic_user_key IS NULL OR effective_user_key <> basic_user_key)"
            + ") AS subjects GROUP BY subject, of_minute";

    private final Database db;

    JdbcAuditRetention(Database db) {
        this.db = db;
    }

    /**
     * Deletes the records older than {@code cutoff}: in the id range of each span of all records
     * that began before it, oldest first, some ten thousand records per transaction; then the
     * spans that ended before it. A span that straddles the cutoff stays, and its older records
     * are gone.
     */
    long deleteOlderThan(Instant cutoff) {
        long total = 0;
        Optional<AuditSpan> after = Optional.empty();
        while (true) {
            Optional<AuditSpan> from = after;
            List<AuditSpan> old = db.read("finding old audit records", c -> oldSpans(c, cutoff, from));
            total += db.transaction("deleting old audit records", c -> {
                try (PreparedStatement ps =
                        c.prepareStatement("DELETE FROM audit_events WHERE id BETWEEN ? AND ? AND event_time < ?")) {
                    int deleted = 0;
                    for (AuditSpan span : old) {
                        ps.setLong(1, span.firstId());
                        ps.setLong(2, span.lastId());
                        Jdbc.setInstant(ps, 3, cutoff);
                        deleted += ps.executeUpdate();
                    }
                    return deleted;
                }
            });
            if (old.size() < RETENTION_SPANS) {
                break;
            }
            after = Optional.of(old.get(old.size() - 1));
        }
        while (db.transaction("deleting old audit spans", c -> deleteEndedSpans(c, cutoff)) == SPANS_PER_DELETE) {
            // another transaction's worth
        }
        return total;
    }

    /**
     * Builds spans for records that a node of an older version wrote without them, in a cluster
     * upgraded node by node (see migration V5): those with identity ids past the last adopted, up
     * to the highest the previous pass saw, one span per subject and minute. One pass behind,
     * because an older node may commit a batch with lower ids after a later one. Nodes take turns
     * through a row lock.
     *
     * @return how many records were adopted
     */
    long adoptStrays() {
        return db.transaction("adopting audit records of older nodes", c -> {
            long adoptedTo;
            long seenTo;
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT adopted_to, seen_to FROM audit_strays WHERE id = 1 FOR UPDATE");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                adoptedTo = rs.getLong(1);
                seenTo = rs.getLong(2);
            }
            long newest = Math.max(seenTo, strayNumber(c, "SELECT COALESCE(MAX(id), 0)", 0, AuditSpan.FIRST_ID - 1));
            long adopted = seenTo > adoptedTo ? strayNumber(c, "SELECT COUNT(*)", adoptedTo, seenTo) : 0;
            if (adopted > 0) {
                try (PreparedStatement ps = c.prepareStatement(ADOPT_STRAYS)) {
                    ps.setLong(1, JdbcAuditInserts.nextBatch(c, db.vendor()));
                    for (int i = 0; i < 4; i++) {
                        ps.setLong(2 + 2 * i, adoptedTo);
                        ps.setLong(3 + 2 * i, seenTo);
                    }
                    ps.executeUpdate();
                }
            }
            if (newest != seenTo || adopted > 0) {
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE audit_strays SET adopted_to = ?, seen_to = ? WHERE id = 1")) {
                    ps.setLong(1, Math.max(adoptedTo, seenTo));
                    ps.setLong(2, newest);
                    ps.executeUpdate();
                }
            }
            return adopted;
        });
    }

    /** {@code select} (one number) over the records with ids in {@code (after, upTo]}. */
    private static long strayNumber(Connection c, String select, long after, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select + " FROM audit_events WHERE id > ? AND id <= ?")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Spans of all records that began before {@code cutoff}, oldest first, after {@code after}. */
    private static List<AuditSpan> oldSpans(Connection c, Instant cutoff, Optional<AuditSpan> after)
            throws SQLException {
        JdbcAuditLog.PageSql sql = new JdbcAuditLog.PageSql(
                        "SELECT " + JdbcAuditLog.SPAN_COLUMNS + " FROM audit_batches WHERE subject = ?",
                        List.of(AuditSpan.ALL))
                .and("min_time < ?", cutoff);
        if (after.isPresent()) {
            AuditSpan last = after.get();
            sql = sql.and("min_time >= ?", last.minTime())
                    .and("(min_time > ? OR batch_id > ?)", last.minTime(), last.batch());
        }
        return JdbcAuditLog.spans(
                c, sql.then(" ORDER BY min_time, batch_id FETCH FIRST " + RETENTION_SPANS + " ROWS ONLY"));
    }

    /** Deletes up to {@value #SPANS_PER_DELETE} spans that ended before {@code cutoff}. */
    private static int deleteEndedSpans(Connection c, Instant cutoff) throws SQLException {
        List<AuditSpan> ended = JdbcAuditLog.spans(
                c,
                new JdbcAuditLog.PageSql(
                                "SELECT " + JdbcAuditLog.SPAN_COLUMNS + " FROM audit_batches WHERE min_time < ?",
                                List.of(cutoff))
                        .and("max_time < ?", cutoff)
                        .then(" FETCH FIRST " + SPANS_PER_DELETE + " ROWS ONLY"));
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM audit_batches WHERE subject = ? AND max_time = ? AND batch_id = ?")) {
            for (AuditSpan span : ended) {
                ps.setString(1, span.subject());
                Jdbc.setInstant(ps, 2, span.maxTime());
                ps.setLong(3, span.batch());
                ps.addBatch();
            }
            if (!ended.isEmpty()) {
                ps.executeBatch();
            }
        }
        return ended.size();
    }
}
